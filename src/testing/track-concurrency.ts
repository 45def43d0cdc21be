import { expectFunction } from '../core/validate.js';
import { InvariantError } from './invariants.js';

/** Tracks how many callers are inside a critical section at once. */
export interface ConcurrencyTracker {
  /** Runs `fn` counted as inside the section. Rejects with `InvalidArgumentError` when `fn` is not a function. */
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
      expectFunction('fn', fn);
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
