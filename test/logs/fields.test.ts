import { currentLogFields, defineCurrent, InvalidArgumentError } from 'current-attributes';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { alice, Current } from '../support/fixtures.js';

describe('currentLogFields', () => {
  test('returns the named members of the active scope, leaving out those that are undefined', () => {
    const fields = currentLogFields(Current, ['requestId', 'account', 'isAdmin', 'title']);
    const seen = Current.run(() => {
      Current.requestId = 'request-1';
      Current.user = alice;
      return fields();
    });
    expect(seen).toEqual({ requestId: 'request-1', account: 'acme', isAdmin: true });
  });

  test('returns a new object each call, so a logger may keep or change it', () => {
    const fields = currentLogFields(Current, ['requestId']);
    Current.run(() => {
      expect(fields()).not.toBe(fields());
    });
  });

  test('outside any scope returns no fields, not the defaults reads would see', () => {
    const fields = currentLogFields(Current, ['requestId', 'locale']);
    expect(Current.requestId).toBeDefined();
    expect(fields()).toEqual({});
  });

  test('does not throw outside a scope for a strict definition, whose reads there would', () => {
    class Attributes {
      requestId?: string;
    }
    const Strict = defineCurrent(Attributes, { strict: true });
    expect(currentLogFields(Strict, ['requestId'])()).toEqual({});
  });

  test('refuses a name that is not an attribute or getter, and a value that is not a Current, at once', () => {
    expect(() => currentLogFields(Current, ['requestId', 'greet'] as never)).toThrow(
      new InvalidArgumentError(
        'Expected `keys[1]` to name an attribute or getter of CurrentAttributes, got `greet` (string). ' +
          'It has: account, locale, requestId, tags, user, title, isAdmin.',
      ),
    );
    expect(() => currentLogFields({} as never, [])).toThrow(
      new InvalidArgumentError(
        'Expected `current` to be a Current made by defineCurrent(), got `[object Object]` (object).',
      ),
    );
    expect(() => currentLogFields(Current, 'requestId' as never)).toThrow(
      new InvalidArgumentError('Expected `keys` to be an array of member names, got `requestId` (string).'),
    );
  });

  test('types the fields as the members they name, each optional', () => {
    const fields = currentLogFields(Current, ['requestId', 'isAdmin']);
    expectTypeOf(fields).returns.toEqualTypeOf<{ requestId?: string; isAdmin?: boolean }>();
    // Never called: it would throw at run time; tsc checks it.
    const typeChecksOnly = () => {
      // @ts-expect-error: `run` is a control, not a member of the class
      currentLogFields(Current, ['run']);
    };
    expectTypeOf(typeChecksOnly).toBeFunction();
  });
});

describe('currentLogFields and hidden attributes', () => {
  test('refuses an attribute the definition declares hidden, so it can never reach a log line', () => {
    class Attributes {
      requestId?: string;
      apiToken?: string;
    }
    const Hiding = defineCurrent(Attributes, { name: 'Hiding', hidden: ['apiToken'] });
    expect(() => currentLogFields(Hiding, ['requestId', 'apiToken'])).toThrow(
      /`apiToken`, which the definition declares hidden/,
    );
    const fields = currentLogFields(Hiding, ['requestId']);
    const seen = Hiding.run(() => {
      Hiding.apiToken = 't';
      return fields();
    });
    expect(seen).toEqual({});
  });
});
