// cspell:ignore tmeout maxqueue strickt tiemoutms timeoutms timout
import { InvalidArgumentError } from 'current-attributes';
import { describe, expect, test } from 'vitest';
import { closestName, editDistance } from '../../src/core/closest-name.js';
import { expectOptions } from '../../src/core/options.js';

const LOCK = ['locks', 'timeoutMs', 'maxQueue', 'retryAfterSeconds', 'abandonedHoldMs', 'onRejected'];

describe('closestName finds the option a misspelt key meant', () => {
  test.each([
    ['timeout', LOCK, 'timeoutMs'],
    ['tmeoutMs', LOCK, 'timeoutMs'],
    ['abandonedHoldMS', LOCK, 'abandonedHoldMs'],
    ['lockTimeout', LOCK, 'timeoutMs'],
    ['retryAfter', LOCK, 'retryAfterSeconds'],
    ['maxqueue', LOCK, 'maxQueue'],
    ['onReject', LOCK, 'onRejected'],
    ['setUp', ['setup', 'onResetError', 'abandonedHoldMs'], 'setup'],
    ['strickt', ['strict', 'name', 'onUnknownAttribute'], 'strict'],
    ['lockTimeout', ['client', 'lockTimeoutMs', 'refreshIntervalMs'], 'lockTimeoutMs'],
  ])('reads `%s` as a misspelling of one of %j: `%s`', (typed, known, meant) => {
    expect(closestName(typed, known)).toBe(meant);
  });

  test('suggests nothing for a key that resembles no option', () => {
    expect(closestName('color', LOCK)).toBeUndefined();
    expect(closestName('x', ['setup', 'onResetError'])).toBeUndefined();
  });

  test('counts a swap of two neighbors as one edit', () => {
    expect(editDistance('tiemoutms', 'timeoutms')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('expectOptions refuses every key that is not an option', () => {
  const check = (options: unknown) => () => expectOptions(options, LOCK, 'globalLock()');

  test('names the closest option and lists them all', () => {
    expect(check({ timeout: 200 })).toThrow(
      new InvalidArgumentError(
        'Unknown option `timeout` of globalLock(): did you mean `timeoutMs`? ' +
          'Known options: locks, timeoutMs, maxQueue, retryAfterSeconds, abandonedHoldMs, onRejected.',
      ),
    );
    expect(check({ color: 'red' })).toThrow(
      /^Unknown option `color` of globalLock\(\)\. Known options: locks, timeoutMs/,
    );
  });

  test('refuses symbol keys, an own __proto__ key and non-enumerable keys, which a loop over Object.keys would miss', () => {
    expect(check({ [Symbol('timeoutMs')]: 1 })).toThrow(
      /^Unknown option `Symbol\(timeoutMs\)` of globalLock\(\): options are named by strings/,
    );
    expect(check(JSON.parse('{"__proto__": {"timeoutMs": 1}}'))).toThrow(
      /^Unknown option `__proto__` of globalLock\(\): an own `__proto__` key \(from JSON\.parse or a computed key\) sets no option/,
    );
    expect(check(Object.defineProperty({}, 'timout', { value: 1, enumerable: false }))).toThrow(
      /^Unknown option `timout` of globalLock\(\): did you mean `timeoutMs`\?/,
    );
  });

  test('accepts known options, also with a null prototype, and still refuses what is not a plain object', () => {
    expect(check({ timeoutMs: 1, maxQueue: 2 })).not.toThrow();
    expect(check(Object.assign(Object.create(null), { timeoutMs: 1 }))).not.toThrow();
    expect(check({})).not.toThrow();
    expect(check(new Map())).toThrow('Expected `options` to be a plain object, got `[object Map]` (object).');
  });
});
