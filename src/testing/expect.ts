import { InvalidArgumentError } from '../core/errors.js';
import { describeValue } from '../core/validate.js';

/** The longest delay a timer can wait: Node runs a longer one after 1 ms, with only a warning. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Whether `value` is a number other than `NaN`.
 *
 * @example
 * ```ts
 * [0, '5'].every(isNumber); // false
 * ```
 */
export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(value);
}

/**
 * Throws `InvalidArgumentError` unless `value` is a number other than `NaN`,
 * for the counts an invariant compares (`NaN > 3` is false, so it would pass).
 *
 * @example
 * ```ts
 * expectNumber('sold', sold);
 * ```
 */
export function expectNumber(name: string, value: unknown): asserts value is number {
  if (!isNumber(value)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be a number, got ${describeValue(value)}.`);
  }
}

/**
 * Throws `InvalidArgumentError` unless `value` is a number greater than 0.
 *
 * @example
 * ```ts
 * expectPositiveNumber('options.connections', connections);
 * ```
 */
export function expectPositiveNumber(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be a positive number, got ${describeValue(value)}.`);
  }
}

/**
 * Throws `InvalidArgumentError` unless `value` is an integer of at least 1.
 *
 * @example
 * ```ts
 * expectPositiveInteger('parties', parties);
 * ```
 */
export function expectPositiveInteger(name: string, value: unknown): asserts value is number {
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be a positive integer, got ${describeValue(value)}.`);
  }
}

/**
 * Throws `InvalidArgumentError` unless `value` is a delay a timer can wait:
 * greater than 0 and at most 2 147 483 647 ms (about 24.8 days).
 *
 * @example
 * ```ts
 * expectTimeout('timeoutMs', timeoutMs);
 * ```
 */
export function expectTimeout(name: string, value: unknown): asserts value is number {
  expectPositiveNumber(name, value);
  if (value > LONGEST_TIMER_MS) {
    throw new InvalidArgumentError(
      `Expected \`${name}\` to be at most ${LONGEST_TIMER_MS} (the longest a timer can wait), got ${describeValue(value)}.`,
    );
  }
}
