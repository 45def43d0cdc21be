import { CurrentAttributesError, InvalidArgumentError } from '../core/errors.js';
import { expectOptions, optionNames } from '../core/options.js';
import { describeValue } from '../core/validate.js';
import { expectNumber, isNumber } from './expect.js';

const OVERSOLD_KEYS = optionNames<Parameters<typeof assertNotOversold>[0]>({ stock: true, sold: true });
const LOST_UPDATES_KEYS = optionNames<Parameters<typeof assertNoLostUpdates>[0]>({
  expected: true,
  actual: true,
  what: true,
});

/**
 * Thrown by the invariant checks: a race happened. The message says what was
 * expected, what was found, and the first examples.
 *
 * @example
 * ```ts
 * assertNotOversold({ stock: 3, sold: 4 }); // InvariantError: Oversold: 4 sold from a stock of 3 ...
 * ```
 */
export class InvariantError extends CurrentAttributesError {
  override name = 'InvariantError';
}

/**
 * Throws `InvariantError` unless intervals `[start, end]` are pairwise
 * disjoint (an end equal to the next start is fine).
 *
 * @throws {InvalidArgumentError} when an interval is not a pair of numbers.
 * @example
 * ```ts
 * assertNoOverlap([[0, 5], [5, 9], [9, 12]]);
 * ```
 */
export function assertNoOverlap(intervals: ReadonlyArray<readonly [number, number]>): void {
  intervals.forEach((interval, index) => {
    if (!Array.isArray(interval) || interval.length !== 2 || !interval.every(isNumber)) {
      throw new InvalidArgumentError(
        `Expected \`intervals[${index}]\` to be a pair of numbers [start, end], got ${describeValue(interval)}.`,
      );
    }
  });
  const sorted = [...intervals].sort(([a], [b]) => a - b);
  for (let i = 1; i < sorted.length; i += 1) {
    const previous = sorted[i - 1] as readonly [number, number];
    const current = sorted[i] as readonly [number, number];
    if (current[0] < previous[1]) {
      throw new InvariantError(
        `Intervals overlap: [${previous.join(', ')}] and [${current.join(', ')}]; ` +
          'two callers were inside the critical section at once.',
      );
    }
  }
}

/**
 * Throws `InvariantError` when more was sold than was in stock.
 *
 * @throws {InvalidArgumentError} when `stock` or `sold` is not a number, or another key is given, so a typo cannot pass.
 * @example
 * ```ts
 * assertNotOversold({ stock: 3, sold: orders.length });
 * ```
 */
export function assertNotOversold(counts: { stock: number; sold: number }): void {
  expectOptions(counts, OVERSOLD_KEYS, 'assertNotOversold()');
  const { stock, sold } = counts;
  expectNumber('stock', stock);
  expectNumber('sold', sold);
  if (sold > stock) {
    throw new InvariantError(`Oversold: ${sold} sold from a stock of ${stock}, ${sold - stock} more than there was.`);
  }
}

/**
 * Throws `InvariantError` when fewer updates landed than were made: each of
 * `expected` increments, appends or deposits should be visible in `actual`.
 *
 * @throws {InvalidArgumentError} when `expected` or `actual` is not a number, or a key is not one of these three.
 * @example
 * ```ts
 * assertNoLostUpdates({ what: 'counter', expected: 20, actual: await counter() });
 * ```
 */
export function assertNoLostUpdates(counts: { expected: number; actual: number; what?: string }): void {
  expectOptions(counts, LOST_UPDATES_KEYS, 'assertNoLostUpdates()');
  const { expected, actual, what = 'value' } = counts;
  expectNumber('expected', expected);
  expectNumber('actual', actual);
  if (actual !== expected) {
    throw new InvariantError(
      `Lost updates to ${what}: expected ${expected}, got ${actual}` +
        (actual < expected ? ` (${expected - actual} of ${expected} lost).` : '.'),
    );
  }
}

/**
 * Throws `InvariantError` when some request saw another request's context:
 * each entry pairs what a request should have seen with what it saw.
 *
 * @example
 * ```ts
 * const seen = await Promise.all(users.map(async (user) => ({ expected: user, seen: await whoAmI(user) })));
 * assertOwnContext(seen);
 * ```
 */
export function assertOwnContext(results: ReadonlyArray<{ expected: unknown; seen: unknown }>): void {
  const wrong = results.filter(({ expected, seen }) => !Object.is(expected, seen));
  if (wrong.length > 0) {
    const examples = wrong
      .slice(0, 3)
      .map(({ expected, seen }) => `expected ${JSON.stringify(expected)}, saw ${JSON.stringify(seen)}`)
      .join('; ');
    throw new InvariantError(`${wrong.length} of ${results.length} saw another request's context: ${examples}.`);
  }
}
