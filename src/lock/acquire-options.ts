import { InvalidArgumentError } from '../core/errors.js';
import { optionNames } from '../core/options.js';
import { describeValue, expectPlainObject } from '../core/validate.js';
import { expectDurationMs } from './durations.js';

/** Options that bound one acquisition. Given to the constructor, they are the defaults of every acquisition. */
export interface AcquireOptions {
  /**
   * Give up waiting after this many ms with `LockTimeoutError`, however long
   * the holder or the backend takes. At most 2^31-1 (Node's longest timer);
   * `Infinity`, the default, waits forever.
   */
  readonly timeoutMs?: number;
  /** Turn a waiter away at once with `LockQueueFullError` when this many already wait for the key. Default: no limit. */
  readonly maxQueue?: number;
  /** Leave the queue with `LockAbortedError` when this aborts (for a request: when its client hangs up). */
  readonly signal?: AbortSignal;
}

/** The names `acquire()` and `withLock()` take. */
export const ACQUIRE_OPTIONS = optionNames<AcquireOptions>({ timeoutMs: true, maxQueue: true, signal: true });

/** Throws `InvalidArgumentError` unless the bounds are well-formed; returns them. */
export function checkAcquireOptions<T extends AcquireOptions>(options: T): T {
  expectPlainObject('options', options);
  const { timeoutMs, maxQueue, signal } = options;
  if (timeoutMs !== undefined) expectDurationMs('timeoutMs', timeoutMs, 'to wait forever');
  if (
    maxQueue !== undefined &&
    (typeof maxQueue !== 'number' ||
      !(maxQueue >= 0) ||
      (!Number.isInteger(maxQueue) && maxQueue !== Number.POSITIVE_INFINITY))
  ) {
    throw new InvalidArgumentError(
      `Expected \`maxQueue\` to be a non-negative integer, got ${describeValue(maxQueue)}.`,
    );
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError(`Expected \`signal\` to be an AbortSignal, got ${describeValue(signal)}.`);
  }
  return options;
}
