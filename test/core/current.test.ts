import { defineCurrent } from 'current-attributes';
import { describe, expect, test } from 'vitest';
import { alice, bob, Current, Session } from '../support/fixtures.js';

describe('attributes', () => {
  test('reads back a written attribute within the scope', () => {
    Current.run(() => {
      Current.account = 'initech';
      expect(Current.account).toBe('initech');
    });
  });

  test('starts each scope from a value default', () => {
    Current.run(() => {
      expect(Current.locale).toBe('en');
      Current.locale = 'fr';
    });
    Current.run(() => expect(Current.locale).toBe('en'));
  });

  test('runs a default factory once per scope, and again after reset', () => {
    Current.run(() => {
      const first = Current.requestId;
      expect(Current.requestId).toBe(first);
      Current.reset();
      expect(Current.requestId).not.toBe(first);
    });
  });

  test('gives every scope its own default array, never a shared one', () => {
    Current.run(() => Current.tags.push('from the first scope'));
    Current.run(() => expect(Current.tags).toEqual([]));
  });

  test('reads through a custom getter that decorates the stored value', () => {
    Current.run(() => {
      Current.title = 'Welcome';
      expect(Current.title).toBe('Welcome!');
    });
  });

  test('writes through a custom setter that sets another attribute', () => {
    Current.run(() => {
      Current.user = alice;
      expect(Current.account).toBe('acme');
    });
  });

  test('writes through a custom setter with a side effect on another definition', () => {
    Current.run(() => {
      Current.user = bob;
      expect(Session.previousUser).toBe(bob);
    });
  });

  test('calls methods and getters of the class with `this` bound to the scope instance', () => {
    Current.run(() => {
      expect(Current.greet('Hello')).toBe('Hello, stranger');
      expect(Current.isAdmin).toBe(false);
      Current.user = alice;
      expect(Current.greet('Hello')).toBe('Hello, Alice');
      expect(Current.isAdmin).toBe(true);
    });
  });

  test('keeps a method reference working when it is detached from Current', () => {
    const { greet } = Current;
    Current.run(() => {
      Current.user = bob;
      expect(greet('Hi')).toBe('Hi, Bob');
    });
  });

  test('does not leak defaults of one definition into another', () => {
    class First {
      name = 'first';
    }
    class Second {
      other = 'second';
    }
    const A = defineCurrent(First);
    const B = defineCurrent(Second);
    A.run(() => {
      expect(A.attributes).toEqual({ name: 'first' });
      expect(B.attributes).toEqual({ other: 'second' });
      expect('name' in B).toBe(false);
    });
  });

  test('shares one scope between definitions: a run of one starts all from defaults', () => {
    Current.run(() => {
      Session.token = 'outer';
      Current.run(() => expect(Session.token).toBeUndefined());
      expect(Session.token).toBe('outer');
    });
  });
});

describe('attributes (the snapshot object)', () => {
  test('holds only attributes that are set or have a default', () => {
    Current.run(() => {
      expect(Current.attributes).toEqual({ locale: 'en', requestId: expect.any(String), tags: [] });
      Current.user = alice;
      Current.title = 'Hi';
      // What the setters received, as Rails' `attributes` holds it: not what the getter decorates.
      expect(Current.attributes).toEqual({
        user: alice,
        title: 'Hi',
        account: 'acme',
        locale: 'en',
        requestId: expect.any(String),
        tags: [],
      });
    });
  });

  test('is a new plain object on every read, detached from the scope', () => {
    Current.run(() => {
      const first = Current.attributes;
      first.locale = 'de';
      expect(Current.attributes).not.toBe(first);
      expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
      expect(Current.locale).toBe('en');
    });
  });
});

describe('reset', () => {
  test('clears every attribute back to its default', () => {
    Current.run(() => {
      Current.user = alice;
      Current.locale = 'fr';
      Current.reset();
      expect(Current.user).toBeUndefined();
      expect(Current.account).toBeUndefined();
      expect(Current.locale).toBe('en');
    });
  });

  test('runs beforeReset callbacks while the old values are readable, afterReset on the fresh ones', () => {
    const seen: string[] = [];
    const removeBefore = Current.beforeReset(() => seen.push(`before: ${Current.user?.name}`));
    const removeAfter = Current.afterReset(() => seen.push(`after: ${Current.user?.name}`));
    try {
      Current.run(() => {
        Current.user = alice;
        Current.reset();
      });
    } finally {
      removeBefore();
      removeAfter();
    }
    expect(seen).toEqual(['before: Alice', 'after: undefined', 'before: undefined', 'after: undefined']);
  });

  test('runs the callbacks of a definition used in the scope when the scope ends, and only of those', () => {
    const seen: unknown[] = [];
    const remove = Session.beforeReset(() => seen.push(Session.token));
    try {
      Current.run(() => {
        Session.token = 'abc';
      });
      Current.run(() => undefined);
    } finally {
      remove();
    }
    expect(seen).toEqual(['abc']);
  });

  test('resets an outside collaborator through a callback (Rails `resets`)', () => {
    const clock = { zone: 'UTC' };
    const remove = Current.afterReset(() => {
      clock.zone = 'UTC';
    });
    try {
      Current.run(() => {
        Current.locale = 'fr';
        clock.zone = 'Europe/Paris';
      });
    } finally {
      remove();
    }
    expect(clock.zone).toBe('UTC');
  });

  test('stops calling a callback once it is removed', () => {
    let calls = 0;
    const remove = Current.afterReset(() => {
      calls += 1;
    });
    Current.run(() => {
      Current.reset();
      remove();
      Current.reset();
    });
    expect(calls).toBe(1);
  });
});

describe('run', () => {
  test('gives a nested run a fresh scope and brings the outer values back after it', async () => {
    await Current.run(async () => {
      Current.user = alice;
      await Current.run(async () => {
        expect(Current.user).toBeUndefined();
        Current.user = bob;
        await new Promise((resolve) => setTimeout(resolve, 1));
        expect(Current.user).toBe(bob);
      });
      expect(Current.user).toBe(alice);
    });
  });

  test('returns what the callback returns, sync or async', async () => {
    expect(Current.run(() => 42)).toBe(42);
    await expect(Current.run(async () => 43)).resolves.toBe(43);
  });

  test('ends the scope when an async callback settles, not when it returns its promise', async () => {
    const seen: string[] = [];
    const remove = Current.beforeReset(() => seen.push(`reset with ${Current.locale}`));
    try {
      await Current.run(async () => {
        Current.locale = 'fr';
        await new Promise((resolve) => setImmediate(resolve));
        seen.push('callback done');
      });
    } finally {
      remove();
    }
    expect(seen).toEqual(['callback done', 'reset with fr']);
  });

  test('reports whether a scope is active', () => {
    expect(Current.isActive).toBe(false);
    Current.run(() => expect(Current.isActive).toBe(true));
  });
});
