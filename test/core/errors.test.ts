import {
  CurrentAttributesError,
  defineCurrent,
  InvalidArgumentError,
  InvalidDefinitionError,
  ReadonlyAttributeError,
  ResetCallbackError,
  RestrictedAttributeError,
  ScopeMissingError,
  UnknownAttributeError,
} from 'current-attributes';
import { describe, expect, test } from 'vitest';
import { alice, Current } from '../support/fixtures.js';

/** Runs `fn`, expecting it to throw, and returns the error for closer checks. */
function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

describe('defineCurrent', () => {
  test('rejects a value that is not a class, saying what it got and what to pass', () => {
    const error = thrownBy(() => defineCurrent((() => ({})) as never));
    expect(error).toBeInstanceOf(InvalidDefinitionError);
    expect(error.message).toMatch(/Expected a class with no constructor arguments, got `.*` \(function\)/);
    expect(thrownBy(() => defineCurrent(null as never))).toBeInstanceOf(InvalidDefinitionError);
  });

  test('rejects a class whose constructor throws, keeping the cause', () => {
    class NeedsConfig {
      constructor() {
        throw new Error('config missing');
      }
    }
    const error = thrownBy(() => defineCurrent(NeedsConfig));
    expect(error).toBeInstanceOf(InvalidDefinitionError);
    expect(error.message).toContain('Constructing NeedsConfig with no arguments failed: Error: config missing');
    expect(error.cause).toBeInstanceOf(Error);
  });

  test('rejects every member name reserved for a control, listing them all in order', () => {
    class Clashing {
      set = 1;
      locale = 'en';
      run = 2;
      reset(): void {}
      get attributes(): number {
        return 3;
      }
    }
    const error = thrownBy(() => defineCurrent(Clashing)) as RestrictedAttributeError;
    expect(error).toBeInstanceOf(RestrictedAttributeError);
    expect(error.names).toEqual(['set', 'run', 'reset', 'attributes']);
    expect(error.message).toMatch(/^Clashing declares `set`, `run`, `reset`, `attributes`, which are names reserved/);
    expect(error.message).toContain('Rename them');
  });

  test('rejects malformed options', () => {
    class Plain {
      a = 1;
    }
    expect(thrownBy(() => defineCurrent(Plain, { strict: 'yes' as never })).message).toBe(
      'Expected `options.strict` to be a boolean, got `yes` (string).',
    );
    expect(thrownBy(() => defineCurrent(Plain, 5 as never))).toBeInstanceOf(InvalidArgumentError);
  });

  test('makes every error an instance of CurrentAttributesError', () => {
    expect(thrownBy(() => defineCurrent(null as never))).toBeInstanceOf(CurrentAttributesError);
    expect(thrownBy(() => Current.reset())).toBeInstanceOf(CurrentAttributesError);
  });
});

describe('outside a scope', () => {
  test('throws on a write, naming the attribute and both fixes', () => {
    const error = thrownBy(() => {
      Current.user = alice;
    });
    expect(error).toBeInstanceOf(ScopeMissingError);
    expect(error.message).toBe(
      'Cannot write CurrentAttributes.user: no scope is active. Mount currentMiddleware() before the code that ' +
        'uses it, or wrap the code in Current.run(() => ...) (jobs, scripts, tests). If the scope was lost in a ' +
        'callback, wrap the callback in Current.bind(fn). If the middleware is mounted, check that the app has one ' +
        'copy of the package (npm ls current-attributes): each copy keeps scopes of its own.',
    );
  });

  test('throws on reset and set, which need a scope to act on', () => {
    expect(thrownBy(() => Current.reset()).message).toMatch(/^Cannot call CurrentAttributes\.reset\(\): no scope/);
    expect(thrownBy(() => Current.set({ locale: 'fr' }, () => 1)).message).toMatch(
      /^Cannot call CurrentAttributes\.set\(\): no scope/,
    );
  });

  test('reads the defaults, computed once and frozen so nothing can be shared through them', () => {
    expect(Current.locale).toBe('en');
    expect(Current.user).toBeUndefined();
    expect(Current.greet('Hi')).toBe('Hi, stranger');
    expect(Current.requestId).toBe(Current.requestId);
    expect(() => Current.tags.push('shared?')).toThrow(TypeError);
    expect(Current.tags).toEqual([]);
  });

  test('does not freeze a default the constructor takes from elsewhere', () => {
    const logger = { level: 'info' };
    class WithLogger {
      logger = logger;
    }
    defineCurrent(WithLogger);
    expect(Object.isFrozen(logger)).toBe(false);
  });

  test('throws on reads too with `strict: true`', () => {
    class Strict {
      user?: string;
    }
    const StrictCurrent = defineCurrent(Strict, { strict: true, name: 'Current' });
    const error = thrownBy(() => StrictCurrent.user);
    expect(error).toBeInstanceOf(ScopeMissingError);
    expect(error.message).toMatch(/^Cannot read Current\.user: no scope is active/);
    expect(StrictCurrent.run(() => StrictCurrent.user)).toBeUndefined();
  });
});

describe('assignment on Current', () => {
  test('throws UnknownAttributeError for an undeclared property, listing the declared ones', () => {
    const error = thrownBy(() => Current.run(() => Object.assign(Current, { usr: alice })));
    expect(error).toBeInstanceOf(UnknownAttributeError);
    expect(error.message).toContain('CurrentAttributes has no attribute `usr`.');
    expect(error.message).toContain('use one of: user, title, account, locale, requestId, tags.');
  });

  test('throws ReadonlyAttributeError for a getter without a setter, a method and a control', () => {
    const assign = (key: string) => thrownBy(() => Current.run(() => Object.assign(Current, { [key]: 1 })));
    expect(assign('isAdmin').message).toBe(
      'Cannot assign CurrentAttributes.isAdmin: it is a getter without a setter. ' +
        'Assign one of the attributes it reads instead, or add a setter to the class.',
    );
    expect(assign('greet')).toBeInstanceOf(ReadonlyAttributeError);
    expect(assign('greet').message).toContain('it is a method');
    expect(assign('run').message).toContain('it is a control of Current');
  });

  test('cannot define new properties on the frozen wrapper', () => {
    expect(Object.isFrozen(Current)).toBe(true);
    expect(() => Object.defineProperty(Current, 'extra', { value: 1 })).toThrow(TypeError);
  });
});

describe('set', () => {
  test('rejects an unknown key', () => {
    const error = thrownBy(() => Current.run(() => Current.set({ usr: alice } as never, () => 1)));
    expect(error).toBeInstanceOf(UnknownAttributeError);
    expect((error as UnknownAttributeError).attribute).toBe('usr');
  });

  test('rejects a key that cannot be assigned', () => {
    const error = thrownBy(() => Current.run(() => Current.set({ isAdmin: true } as never, () => 1)));
    expect(error).toBeInstanceOf(ReadonlyAttributeError);
  });

  test('rejects arguments of the wrong type', () => {
    expect(thrownBy(() => Current.run(() => Current.set('locale' as never, () => 1))).message).toBe(
      'Expected `attributes` to be a plain object, got `locale` (string).',
    );
    expect(thrownBy(() => Current.run(42 as never)).message).toBe('Expected `fn` to be a function, got `42` (number).');
    expect(thrownBy(() => Current.beforeReset(null as never))).toBeInstanceOf(InvalidArgumentError);
  });
});

describe('reset callbacks', () => {
  test('all run and the values are cleared even when some throw; the failures come back together', () => {
    const ran: string[] = [];
    Current.run(() => {
      const removers = [
        Current.beforeReset(() => {
          throw new Error('first');
        }),
        Current.beforeReset(() => ran.push('second')),
        Current.afterReset(() => {
          throw new Error('third');
        }),
      ];
      Current.locale = 'fr';
      const error = thrownBy(() => Current.reset()) as ResetCallbackError;
      for (const remove of removers) remove();

      expect(error).toBeInstanceOf(ResetCallbackError);
      expect(error.errors.map((cause) => (cause as Error).message)).toEqual(['first', 'third']);
      expect(ran).toEqual(['second']);
      expect(Current.locale).toBe('en');
    });
  });
});
