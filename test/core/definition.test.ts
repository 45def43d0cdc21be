import {
  defineCurrent,
  InvalidArgumentError,
  InvalidDefinitionError,
  ScopeMissingError,
  UnknownAttributeError,
  UnserializableAttributeError,
} from 'current-attributes';
import { describe, expect, test } from 'vitest';
import { alice, Current } from '../support/fixtures.js';

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

describe('set refuses keys it would otherwise skip', () => {
  test('refuses a symbol key', () => {
    const key = Symbol('locale');
    Current.run(() => {
      expect(() => Current.set({ [key]: 'fr' } as never, () => 1)).toThrow(UnknownAttributeError);
      expect(() => Current.set({ [key]: 'fr' } as never, () => 1)).toThrow(/has no attribute `Symbol\(locale\)`/);
    });
  });

  test('refuses a non-enumerable key, even one that names an attribute', () => {
    const values = Object.defineProperty({}, 'locale', { value: 'fr', enumerable: false });
    Current.run(() => {
      expect(() => Current.set(values, () => 1)).toThrow(UnknownAttributeError);
      expect(() => Current.set(values, () => 1)).toThrow(/`locale` is not enumerable/);
    });
  });
});

describe('serialize refuses what structuredClone would silently change', () => {
  test('refuses a class instance, whose private fields and methods a clone would drop', () => {
    class Account {
      #balance = 100;
      get balance() {
        return this.#balance;
      }
    }
    class WithAccount {
      account?: Account;
    }
    const Holder = defineCurrent(WithAccount);
    Holder.run(() => {
      Holder.account = new Account();
      expect(() => Holder.serialize()).toThrow(UnserializableAttributeError);
      expect(() => Holder.serialize()).toThrow(/^Cannot serialize WithAccount\.account: .*instance of Account/);
    });
  });

  test('refuses a class instance nested in plain data, naming the path', () => {
    class Money {
      constructor(readonly cents: number) {}
    }
    class WithCart {
      cart?: { items: Array<{ price: Money }> };
    }
    const Cart = defineCurrent(WithCart);
    Cart.run(() => {
      Cart.cart = { items: [{ price: new Money(5) }] };
      expect(() => Cart.serialize()).toThrow(/cart\.items\[0\]\.price is an instance of Money/);
    });
  });
});

describe('defineCurrent refuses what it cannot read with a typed error', () => {
  test('refuses a revoked Proxy of a class, saying to pass the class itself, instead of a bare TypeError', () => {
    const { proxy, revoke } = Proxy.revocable(class Attributes {}, {});
    revoke();
    expect(() => defineCurrent(proxy)).toThrow(InvalidDefinitionError);
    expect(() => defineCurrent(proxy)).toThrow(/^Expected a class with no constructor arguments, got a revoked Proxy/);
  });

  test('refuses a revoked Proxy as its options with InvalidArgumentError', () => {
    const { proxy, revoke } = Proxy.revocable({ strict: true }, {});
    revoke();
    expect(() => defineCurrent(class Attributes {}, proxy)).toThrow(
      new InvalidArgumentError('Expected `options` to be a plain object, got `a revoked Proxy` (object).'),
    );
  });

  test('still accepts a live Proxy of a class', () => {
    class Attributes {
      locale = 'en';
    }
    const Proxied = defineCurrent(new Proxy(Attributes, {}));
    expect(Proxied.run(() => Proxied.locale)).toBe('en');
  });
});

describe('methods called outside a scope', () => {
  class Session {
    #user?: string;
    note = 'none';
    get user() {
      return this.#user;
    }
    set user(user) {
      this.#user = user;
    }
    login(user: string) {
      this.#user = user;
    }
    annotate(note: string) {
      this.note = note;
    }
    loginThroughSetter(user: string) {
      this.user = user;
    }
    describe() {
      return `${this.#user ?? 'nobody'} (${this.note})`;
    }
  }
  const Outside = defineCurrent(Session);

  test('throw ScopeMissingError when they write a private field, and later reads still see the defaults', () => {
    expect(() => Outside.login('mallory')).toThrow(ScopeMissingError);
    expect(() => Outside.login('mallory')).toThrow(/^Cannot call Session\.login\(\): no scope is active/);
    expect(Outside.user).toBeUndefined();
    expect(Outside.describe()).toBe('nobody (none)');
  });

  test('throw ScopeMissingError when they write a private field that only a getter without a setter exposes', () => {
    class Cart {
      #items: string[] = [];
      #owner?: string;
      get items(): readonly string[] {
        return this.#items;
      }
      get owner() {
        return this.#owner;
      }
      add(item: string) {
        this.#items.push(item);
      }
      claim(owner: string) {
        this.#owner = owner;
      }
      async claimLater(owner: string) {
        await Promise.resolve();
        this.#owner = owner;
      }
      count() {
        return this.#items.length;
      }
    }
    const Carts = defineCurrent(Cart);
    expect(() => Carts.claim('mallory')).toThrow(ScopeMissingError);
    expect(() => Carts.claim('mallory')).toThrow(/^Cannot call Cart\.claim\(\): no scope is active/);
    expect(() => Carts.add('book')).toThrow(ScopeMissingError);
    return expect(Carts.claimLater('mallory'))
      .rejects.toThrow(ScopeMissingError)
      .then(() => {
        expect([Carts.owner, Carts.items, Carts.count()]).toEqual([undefined, [], 0]);
      });
  });

  test('do not mistake a getter that reads a clock or a random number for a write', () => {
    class Clocked {
      #started = 0;
      get now() {
        return performance.now();
      }
      get nonce() {
        return Math.random();
      }
      get elapsed() {
        return performance.now() - this.#started;
      }
      describe() {
        return 'read only';
      }
    }
    const Clock = defineCurrent(Clocked);
    for (let call = 0; call < 200; call += 1) expect(Clock.describe()).toBe('read only');
  });

  test('throw ScopeMissingError when they write a field or assign through a setter', () => {
    expect(() => Outside.annotate('x')).toThrow(ScopeMissingError);
    expect(() => Outside.loginThroughSetter('mallory')).toThrow(ScopeMissingError);
    expect([Outside.note, Outside.user]).toEqual(['none', undefined]);
  });

  test('still read the defaults when they only read', () => {
    expect(Outside.describe()).toBe('nobody (none)');
    expect(Current.greet('Hi')).toBe('Hi, stranger');
  });

  test('work as before inside a scope', () => {
    Outside.run(() => {
      Outside.login('alice');
      Outside.annotate('admin');
      expect(Outside.describe()).toBe('alice (admin)');
    });
    Current.run(() => {
      Current.user = alice;
      expect(Current.greet('Hi')).toBe('Hi, Alice');
    });
  });
});
