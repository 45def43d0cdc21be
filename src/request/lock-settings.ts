import { InvalidArgumentError } from '../core/errors.js';
import { type OptionNames, optionNames } from '../core/options.js';
import { describeValue, expectPlainObject } from '../core/validate.js';
import { type AcquireOptions, checkAcquireOptions } from '../lock/acquire-options.js';
import { KeyedMutex } from '../lock/keyed-mutex.js';
import { checkHoldMs, DEFAULT_ABANDONED_HOLD_MS } from './hold-ms.js';

/** Options of a request lock (`globalLock`, `keyedLock` and the other adapters' forms), whatever the framework. */
export interface RequestLockOptions extends Omit<AcquireOptions, 'signal'> {
  /** The locks to take. Default: a new `KeyedMutex` for this middleware. Pass one with a Redis backend to lock across processes. */
  readonly locks?: KeyedMutex;
  /** The `Retry-After` header of the default `503` answer, in whole seconds. Default 1. */
  readonly retryAfterSeconds?: number;
  /**
   * How long a holder whose client hung up keeps the lock while its handler
   * has not ended the response, in ms. Past it the lock is released (and
   * counted in `stats.releasedByBound`), so a stuck handler cannot stop the
   * app. `Infinity` never releases before the handler ends. Default 30 000.
   */
  readonly abandonedHoldMs?: number;
}

/** The names every request lock takes; each adapter adds its own (`onRejected`, `key`). */
export const REQUEST_LOCK_OPTIONS = optionNames<RequestLockOptions>({
  locks: true,
  timeoutMs: true,
  maxQueue: true,
  retryAfterSeconds: true,
  abandonedHoldMs: true,
});

/**
 * The names an adapter's lock takes: every request lock's, and `extra`,
 * the adapter's own (checked by the compiler to be exactly those of `Options`).
 */
export function lockOptionNames<Options extends RequestLockOptions>(
  extra: OptionNames<Omit<Options, keyof RequestLockOptions>>,
): readonly string[] {
  return Object.freeze([...REQUEST_LOCK_OPTIONS, ...Object.keys(extra)]);
}

/** The validated settings of one request lock. */
export interface RequestLockSettings {
  readonly locks: KeyedMutex;
  readonly acquire: Omit<AcquireOptions, 'signal'>;
  readonly retryAfterSeconds: number;
  readonly abandonedHoldMs: number;
}

/**
 * Validates the options of a request lock when the middleware is made, so a
 * mistake fails at start-up instead of answering every request `500`.
 *
 * @throws {InvalidArgumentError} naming the first option that is wrong and what it takes.
 */
export function checkRequestLockOptions(options: RequestLockOptions): RequestLockSettings {
  expectPlainObject('options', options);
  const { locks = new KeyedMutex(), timeoutMs, maxQueue } = options;
  const { retryAfterSeconds = 1, abandonedHoldMs = DEFAULT_ABANDONED_HOLD_MS } = options;
  if (!(locks instanceof KeyedMutex)) {
    throw new InvalidArgumentError(`Expected \`options.locks\` to be a KeyedMutex, got ${describeValue(locks)}.`);
  }
  const acquire = checkAcquireOptions({
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(maxQueue === undefined ? {} : { maxQueue }),
  });
  if (typeof retryAfterSeconds !== 'number' || !Number.isSafeInteger(retryAfterSeconds) || retryAfterSeconds < 0) {
    throw new InvalidArgumentError(
      `Expected \`options.retryAfterSeconds\` to be a whole number of seconds, 0 or more, got ${describeValue(retryAfterSeconds)}. ` +
        'The Retry-After header takes whole seconds only.',
    );
  }
  return {
    locks,
    acquire,
    retryAfterSeconds,
    abandonedHoldMs: checkHoldMs('options.abandonedHoldMs', abandonedHoldMs),
  };
}
