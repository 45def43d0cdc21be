import type { AttributeEntry, Attributes, Current as CurrentType } from 'current-attributes';
import { describe, expectTypeOf, test } from 'vitest';
import { Current, Session, type User } from '../support/fixtures.js';

// These assertions are checked by `npm run typecheck` (tsc); at run time
// they only confirm the file loads. Each @ts-expect-error line must stay an
// error, or tsc fails.
describe('types', () => {
  test('attributes keep their declared types on Current', () => {
    expectTypeOf(Current.user).toEqualTypeOf<User | undefined>();
    expectTypeOf(Current.locale).toEqualTypeOf<string>();
    expectTypeOf(Current.tags).toEqualTypeOf<string[]>();
    expectTypeOf(Current.isAdmin).toEqualTypeOf<boolean>();
    expectTypeOf(Current.greet).toEqualTypeOf<(greeting: string) => string>();
  });

  test('set accepts known attributes with their types, and nothing else', () => {
    // Never called: the wrong calls would throw at run time; tsc checks them.
    const typeChecksOnly = () => {
      Current.set({ locale: 'fr', user: undefined }, () => undefined);
      // @ts-expect-error: `usr` is not an attribute
      Current.set({ usr: undefined }, () => undefined);
      // @ts-expect-error: `locale` is a string
      Current.set({ locale: 42 }, () => undefined);
      // @ts-expect-error: `isAdmin` is a getter without a setter
      Current.set({ isAdmin: true }, () => undefined);
      // @ts-expect-error: `greet` is a method
      Current.set({ greet: () => '' }, () => undefined);
    };
    expectTypeOf(typeChecksOnly).toBeFunction();
  });

  test('readonly members cannot be assigned', () => {
    Current.run(() => {
      // @ts-expect-error: a getter without a setter
      expectTypeOf(() => (Current.isAdmin = true)).toBeFunction();
    });
  });

  test('controls return what the callback returns', () => {
    expectTypeOf(Current.run(() => 1)).toEqualTypeOf<number>();
    expectTypeOf(Current.run(async () => 'a')).toEqualTypeOf<Promise<string>>();
    expectTypeOf(Current.attributes.user).toEqualTypeOf<User | undefined>();
    expectTypeOf<Attributes<{ a: number; readonly b: number; c(): void }>>().toEqualTypeOf<{ a?: number }>();
    expectTypeOf(Current.serialize().version).toEqualTypeOf<number>();
    expectTypeOf<CurrentType<{ a: number }>['a']>().toEqualTypeOf<number>();
  });

  test('a serialized payload pairs each attribute with its type, and fits only its own definition', () => {
    expectTypeOf<AttributeEntry<{ a: number; b?: string; c(): void }>>().toEqualTypeOf<
      readonly ['a', number] | readonly ['a'] | readonly ['b', string | undefined] | readonly ['b']
    >();
    const typeChecksOnly = () => {
      Current.restore(Current.serialize(), () => undefined);
      // @ts-expect-error: a payload of another definition
      Session.restore(Current.serialize(), () => undefined);
    };
    expectTypeOf(typeChecksOnly).toBeFunction();
  });
});
