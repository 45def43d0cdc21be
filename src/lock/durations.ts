import { InvalidArgumentError } from '../core/errors.js';
import { describeValue } from '../core/validate.js';

/** The longest delay a Node timer honours; a longer one fires after 1 ms instead, with only a warning. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Throws `InvalidArgumentError` unless `value` is a number of ms a timer can
 * wait: positive and at most `MAX_TIMER_MS`, or `Infinity` where `forever`
 * names what Infinity means. Refused rather than capped, so a caller never
 * gets a shorter wait than the one asked for without being told.
 *
 * @example
 * ```ts
 * expectDurationMs('timeoutMs', options.timeoutMs, 'to wait forever');
 * expectDurationMs('options.lockTimeoutMs', lockTimeoutMs);
 * ```
 */
export function expectDurationMs(name: string, value: unknown, forever?: string): asserts value is number {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be a positive number, got ${describeValue(value)}.`);
  }
  if (value > MAX_TIMER_MS && !(forever !== undefined && value === Number.POSITIVE_INFINITY)) {
    throw new InvalidArgumentError(
      `Expected \`${name}\` to be at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest timer Node can set)` +
        `${forever === undefined ? '' : `, or Infinity ${forever}`}, got ${describeValue(value)}.`,
    );
  }
}
