import { defineCurrent, InvalidDefinitionError } from 'current-attributes';
import { describe, expect, test } from 'vitest';

describe('defineCurrent refuses a class it cannot give a fresh instance per scope', () => {
  test('refuses a constructor that returns an object it did not create, and leaves that object unfrozen', () => {
    const shared = { user: undefined as string | undefined };
    class Singleton {
      user?: string;
      constructor() {
        // biome-ignore lint/correctness/noConstructorReturn: the mistake under test
        return shared;
      }
    }
    expect(() => defineCurrent(Singleton)).toThrow(InvalidDefinitionError);
    expect(() => defineCurrent(Singleton)).toThrow(
      /^Constructing Singleton returned an object other than the new instance: `\[object Object\]` \(object\)\./,
    );
    expect(Object.isFrozen(shared)).toBe(false);
  });

  test('refuses a constructor that returns Object.prototype, which must never be frozen', () => {
    class Prototype {
      constructor() {
        // biome-ignore lint/correctness/noConstructorReturn: the mistake under test
        return Object.prototype;
      }
    }
    expect(() => defineCurrent(Prototype)).toThrow(InvalidDefinitionError);
    expect(Object.isFrozen(Object.prototype)).toBe(false);
  });

  test('refuses a constructor that hands out one instance to every caller', () => {
    let only: Cached | undefined;
    class Cached {
      locale = 'en';
      constructor() {
        // biome-ignore lint/correctness/noConstructorReturn: the mistake under test
        if (only !== undefined) return only;
        only = this;
      }
    }
    expect(() => defineCurrent(Cached)).toThrow(/returned the same object twice/);
    expect(Object.isFrozen(only)).toBe(false);
  });

  test('refuses a field named __proto__, which would become the prototype of `attributes`', () => {
    class Sneaky {
      locale = 'en';
      __proto__ = { isAdmin: true };
    }
    expect(() => defineCurrent(Sneaky)).toThrow(InvalidDefinitionError);
    expect(() => defineCurrent(Sneaky)).toThrow(/Sneaky declares a member named `__proto__`/);
  });

  test('refuses an accessor named __proto__ for the same reason', () => {
    class Sneakier {
      #admin = { isAdmin: true };
      get ['__proto__']() {
        return this.#admin;
      }
      set ['__proto__'](value) {
        this.#admin = value;
      }
    }
    expect(() => defineCurrent(Sneakier)).toThrow(/Sneakier declares a member named `__proto__`/);
  });
});
