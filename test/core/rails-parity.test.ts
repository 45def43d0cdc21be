import { defineCurrent, InvalidDefinitionError, RestrictedAttributeError, snapshot } from 'current-attributes';
import { createDeferred, withFreshScope } from 'current-attributes/testing';
import { afterEach, aroundEach, beforeEach, describe, expect, test } from 'vitest';
import { Current, clock, david, Session } from '../support/rails-current.js';

/** Captured at load time, outside any scope: runs a callback in an execution context of its own. */
const elsewhere = snapshot();

// The 27 tests of Rails' activesupport/test/current_attributes_test.rb (main
// branch), re-described for this library, in Rails' order. Each test runs in
// a fresh scope, as Rails' CurrentAttributes::TestHelper resets around each.
describe("Rails' CurrentAttributes behaviors", () => {
  aroundEach(withFreshScope);

  let checkTeardown = false;
  beforeEach(() => {
    clock.zone = 'UTC';
    checkTeardown = false;
    expect(Session.previous, 'Session leaked state from a previous test').toBeUndefined();
  });
  afterEach(() => {
    if (checkTeardown) expect(Session.current).toBe(42);
  });

  test('reads back a written attribute', () => {
    Current.world = 'world/1';
    expect(Current.world).toBe('world/1');
  });

  test.each([
    ['a value default', 'counterInteger'],
    ['a default computed by a function', 'counterCallable'],
  ] as const)('reads %s, counts up from it, and reads it again after reset', (_kind, key) => {
    expect(Current[key]).toBe(0);
    Current[key] += 1;
    expect(Current[key]).toBe(1);
    Current.reset();
    expect(Current[key]).toBe(0);
  });

  test('reads through a getter that decorates the assigned value', () => {
    Current.request = 'request/1';
    expect(Current.request).toBe('request/1 something');
  });

  test('writes through a setter that sets another attribute', () => {
    Current.account = 'account/1';
    expect(Current.account).toBe('account/1');
    expect(Current.person?.name).toBe("account/1's person");
  });

  test('writes through a setter that sets outside state and another definition', () => {
    Current.person = david;
    expect(clock.zone).toBe('Central Time (US & Canada)');
    expect(Session.current).toBe(42);
  });

  test('resets outside state and other definitions through reset callbacks', () => {
    Current.person = david;
    expect(clock.zone).toBe('Central Time (US & Canada)');
    Current.reset();
    expect(clock.zone).toBe('UTC');
    expect(Session.previous).toBe(42);
    expect(Session.current).toBeUndefined();
  });

  test('lets a beforeReset callback read the values about to be cleared', () => {
    Current.person = david;
    expect(Session.previous).toBeUndefined();
    expect(Session.current).toBe(42);
    Current.reset();
    expect(Session.previous).toBe(42);
    expect(Session.current).toBeUndefined();
  });

  test('set overrides an attribute inside its callback only', () => {
    Current.world = 'world/1';
    Current.set({ world: 'world/2' }, () => expect(Current.world).toBe('world/2'));
    expect(Current.world).toBe('world/1');
  });

  test('set overrides several attributes, given as a literal or as an object built beforehand', () => {
    Current.world = 'world/1';
    Current.account = 'account/1';
    Current.set({ world: 'world/2', account: 'account/2' }, () => {
      expect([Current.world, Current.account]).toEqual(['world/2', 'account/2']);
    });
    expect([Current.world, Current.account]).toEqual(['world/1', 'account/1']);
    const values = { world: 'world/2', account: 'account/2' };
    Current.set(values, () => expect([Current.world, Current.account]).toEqual(['world/2', 'account/2']));
  });

  test('calls methods that write and read attributes, passing their arguments and returning their result', () => {
    Current.setWorldAndAccount({ world: 'world/1', account: 'account/1' });
    expect([Current.world, Current.account]).toEqual(['world/1', 'account/1']);
    const hash = {};
    expect(Current.getWorldAndAccount(hash)).toBe(hash);
    expect(hash).toEqual({ world: 'world/1', account: 'account/1' });
  });

  test('keeps the values readable until the scope ends, for example in an afterEach hook', () => {
    Session.current = 42;
    checkTeardown = true;
  });

  test('reads a getter that delegates to another attribute', () => {
    Current.person = david;
    expect(Current.timeZone).toBe('Central Time (US & Canada)');
  });

  test('forwards every method to the scope instance', () => {
    Current.person = david;
    expect(Current.intro()).toBe('David, in Central Time (US & Canada)');
  });

  test('has every method before it is first called', () => {
    expect('respondToTest' in Current).toBe(true);
    expect(typeof Current.respondToTest).toBe('function');
  });

  test('keeps the defaults of one class out of another that declares the same attribute', () => {
    class Other {
      counterInteger = 100;
    }
    defineCurrent(Other);
    Current.reset();
    expect(Current.counterInteger).toBe(0);
  });

  test('keeps the values to their execution context: a callback captured elsewhere does not see them', () => {
    Session.current = 42;
    expect(elsewhere(() => Session.current)).toBeUndefined();
  });

  test('shares the values with what runs in the same execution context, such as a generator', () => {
    Session.current = 42;
    function* read() {
      yield Session.current;
    }
    expect(read().next().value).toBe(42);
  });

  test('holds in attributes only what was assigned or has a default', () => {
    expect(Current.attributes).toEqual({ counterInteger: 0, counterCallable: 0 });
  });

  test('returns a new attributes object on every read', () => {
    expect(Current.attributes).not.toBe(Current.attributes);
  });

  test('refuses attribute names reserved for its controls, listing them', () => {
    class InvalidAttributeNames {
      reset = 1;
      foo = 2;
      set = 3;
    }
    expect(() => defineCurrent(InvalidAttributeNames)).toThrow(RestrictedAttributeError);
    expect(() => defineCurrent(InvalidAttributeNames)).toThrow(/declares `reset`, `set`, which are names reserved/);
  });

  test('refuses the attribute name `attributes`', () => {
    class InvalidAttributesAttributeName {
      attributes = 1;
      foo = 2;
    }
    expect(() => defineCurrent(InvalidAttributesAttributeName)).toThrow(/declares `attributes`, which is a name/);
  });

  test('refuses a name that would shadow what it relies on internally', () => {
    class InvalidInternalAttributeNames {
      __proto__ = 1;
      foo = 2;
    }
    expect(() => defineCurrent(InvalidInternalAttributeNames)).toThrow(InvalidDefinitionError);
  });

  test('gives an object default as that very kind of object, whatever methods the class defines', () => {
    class WithMethod {
      foo(): void {}
      bar: Record<string, unknown> = {};
    }
    const Defined = defineCurrent(WithMethod);
    expect(Object.getPrototypeOf(Defined.bar)).toBe(Object.prototype);
    expect(Defined.run(() => Object.getPrototypeOf(Defined.bar))).toBe(Object.prototype);
  });

  test('defines the accessors of attributes and the methods when the class is defined, before any use', () => {
    class Eager {
      attr = 'att';
      regular() {
        return 'regular';
      }
    }
    const Defined = defineCurrent(Eager);
    expect(Object.getOwnPropertyDescriptor(Defined, 'attr')).toMatchObject({ get: expect.any(Function) });
    expect(Object.getOwnPropertyDescriptor(Defined, 'attr')).toMatchObject({ set: expect.any(Function) });
    expect(Object.getOwnPropertyDescriptor(Defined, 'regular')).toMatchObject({ get: expect.any(Function) });
  });

  test('gives the accessors precise signatures: a getter of no argument, a setter of one', () => {
    class Precise {
      attr = 'att';
    }
    const descriptor = Object.getOwnPropertyDescriptor(defineCurrent(Precise), 'attr');
    expect(descriptor?.get?.length).toBe(0);
    expect(descriptor?.set?.length).toBe(1);
  });

  test('set around a nested run: the run starts from the defaults, and each level comes back in turn', () => {
    Current.world = 'world/1';
    Current.account = 'account/1';
    Current.set({ world: 'world/2', account: 'account/2' }, () => {
      expect([Current.world, Current.account]).toEqual(['world/2', 'account/2']);
      Current.run(() => {
        expect([Current.world, Current.account]).toEqual([undefined, undefined]);
        Current.world = 'world/3';
        Current.account = 'account/3';
        expect([Current.world, Current.account]).toEqual(['world/3', 'account/3']);
        Current.reset();
        expect([Current.world, Current.account]).toEqual([undefined, undefined]);
      });
      expect([Current.world, Current.account]).toEqual(['world/2', 'account/2']);
    });
    expect([Current.world, Current.account]).toEqual(['world/1', 'account/1']);
  });
});

// Rails' `set` is `with(**attributes)` on the current instance: it saves the
// named attributes, yields, and in an `ensure` assigns the saved values back
// through the setters, whatever the block did. A `reset` in the block clears
// the same instance, so the saved values come back after it too.
describe('set around a reset inside its callback, as Rails puts the saved values back after the block', () => {
  aroundEach(withFreshScope);
  beforeEach(() => {
    clock.zone = 'UTC';
  });

  test('puts back the named attribute after a reset and a write in a sync callback', () => {
    Current.world = 'world/1';
    Current.set({ world: 'impersonated' }, () => {
      Current.reset();
      Current.world = 'eve';
    });
    expect(Current.world).toBe('world/1');
  });

  test('leaves what the reset cleared cleared, for the attributes set does not name', () => {
    Current.world = 'world/1';
    Current.account = 'account/1';
    Current.set({ world: 'impersonated' }, () => Current.reset());
    expect([Current.world, Current.account]).toEqual(['world/1', undefined]);
  });

  test('runs the named setter again after a reset, so what it derives (and Session.current) comes back', () => {
    Current.person = david;
    Current.set({ person: { id: 7, name: 'Impersonated' } }, () => {
      Current.reset();
      expect([Current.person, Session.current]).toEqual([undefined, undefined]);
      Current.person = { id: 8, name: 'Eve' };
    });
    expect([Current.person, Session.current, clock.zone]).toEqual([david, 42, david.timeZone]);
  });

  test('puts back the named attribute after an async callback that resets between awaits', async () => {
    Current.world = 'world/1';
    await Current.set({ world: 'impersonated' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      Current.reset();
      Current.world = 'eve';
      await new Promise((resolve) => setImmediate(resolve));
      expect(Current.world).toBe('eve');
    });
    expect(Current.world).toBe('world/1');
  });

  test('puts back the named attribute when the callback resets and then throws', () => {
    Current.world = 'world/1';
    expect(() =>
      Current.set({ world: 'impersonated' }, () => {
        Current.reset();
        Current.world = 'eve';
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(Current.world).toBe('world/1');
  });

  test('under Promise.all, a set started after a sibling reset keeps its value until it ends, and the request value comes back after both', async () => {
    Current.world = 'world/1';
    const resetDone = createDeferred();
    const firstMayEnd = createDeferred();
    const secondMayEnd = createDeferred();
    const first = Current.set({ world: 'first' }, async () => {
      Current.reset();
      resetDone.resolve();
      await firstMayEnd.promise;
    });
    await resetDone.promise;
    const second = Current.set({ world: 'second' }, async () => {
      firstMayEnd.resolve();
      await first;
      const seen = Current.world;
      await secondMayEnd.promise;
      return seen;
    });
    await first;
    expect(Current.world).toBe('second');
    secondMayEnd.resolve();
    expect(await second).toBe('second');
    expect(Current.world).toBe('world/1');
  });

  test('under Promise.all, two sets that both reset put the request value back whichever ends first', async () => {
    Current.world = 'world/1';
    const bothReset = createDeferred();
    let resets = 0;
    const branch = (world: string, ends: Promise<void>) =>
      Current.set({ world }, async () => {
        Current.reset();
        Current.world = `${world} after reset`;
        resets += 1;
        if (resets === 2) bothReset.resolve();
        await ends;
      });
    const firstEnds = createDeferred();
    const secondEnds = createDeferred();
    const both = Promise.all([branch('one', firstEnds.promise), branch('two', secondEnds.promise)]);
    await bothReset.promise;
    firstEnds.resolve();
    secondEnds.resolve();
    await both;
    expect(Current.world).toBe('world/1');
  });
});
