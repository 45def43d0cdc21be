import { CurrentAttributesError } from '../errors.js';

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

/** Tracks how many callers are inside a critical section at once. */
export interface ConcurrencyTracker {
  /** Runs `fn` counted as inside the section. */
  run<R>(fn: () => R | Promise<R>): Promise<R>;
  /** The most callers seen inside at the same time. */
  readonly maxConcurrent: number;
  /** Throws `InvariantError` if two callers were ever inside at once. */
  assertNoOverlap(): void;
}

/**
 * Creates a tracker for a critical section: wrap the section's body in
 * `run`, then assert that no two runs overlapped (p-limit's "running <=
 * concurrency", checked inside every task).
 *
 * @example
 * ```ts
 * const section = trackConcurrency();
 * await Promise.all(requests.map(() => locks.withLock('k', () => section.run(work))));
 * section.assertNoOverlap();
 * ```
 */
export function trackConcurrency(): ConcurrencyTracker {
  let inside = 0;
  let maxConcurrent = 0;
  return {
    async run(fn) {
      inside += 1;
      maxConcurrent = Math.max(maxConcurrent, inside);
      try {
        return await fn();
      } finally {
        inside -= 1;
      }
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    assertNoOverlap() {
      if (maxConcurrent > 1) {
        throw new InvariantError(
          `Critical sections overlapped: up to ${maxConcurrent} callers were inside at once, expected 1.`,
        );
      }
    },
  };
}

/**
 * Throws `InvariantError` unless intervals `[start, end]` are pairwise
 * disjoint (an end equal to the next start is fine).
 *
 * @example
 * ```ts
 * assertNoOverlap([[0, 5], [5, 9], [9, 12]]);
 * ```
 */
export function assertNoOverlap(intervals: ReadonlyArray<readonly [number, number]>): void {
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
 * @example
 * ```ts
 * assertNotOversold({ stock: 3, sold: orders.length });
 * ```
 */
export function assertNotOversold({ stock, sold }: { stock: number; sold: number }): void {
  if (sold > stock) {
    throw new InvariantError(`Oversold: ${sold} sold from a stock of ${stock}, ${sold - stock} more than there was.`);
  }
}

/**
 * Throws `InvariantError` when fewer updates landed than were made: each of
 * `expected` increments, appends or deposits should be visible in `actual`.
 *
 * @example
 * ```ts
 * assertNoLostUpdates({ what: 'counter', expected: 20, actual: await counter() });
 * ```
 */
export function assertNoLostUpdates({
  expected,
  actual,
  what = 'value',
}: {
  expected: number;
  actual: number;
  what?: string;
}): void {
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
