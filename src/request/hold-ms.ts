import { InvalidArgumentError } from '../core/errors.js';
import { describeValue } from '../core/validate.js';

/**
 * The default of `abandonedHoldMs`: long enough for a real handler to notice its client left and end.
 *
 * @example
 * ```ts
 * const { abandonedHoldMs = DEFAULT_ABANDONED_HOLD_MS } = options;
 * ```
 */
export const DEFAULT_ABANDONED_HOLD_MS = 30_000;

/** Node's timers overflow past this many ms and fire at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Throws `InvalidArgumentError` unless `value` is a usable `abandonedHoldMs`:
 * 0 to 2^31-1 ms, or `Infinity`. Returns it.
 *
 * @example
 * ```ts
 * checkHoldMs('options.abandonedHoldMs', 5_000); // 5000
 * checkHoldMs('options.abandonedHoldMs', -1); // throws InvalidArgumentError
 * ```
 */
export function checkHoldMs(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0) || (value > LONGEST_TIMER_MS && value !== Number.POSITIVE_INFINITY)) {
    throw new InvalidArgumentError(
      `Expected \`${name}\` to be a number of ms from 0 to ${LONGEST_TIMER_MS}, or Infinity, got ${describeValue(value)}.`,
    );
  }
  return value;
}
