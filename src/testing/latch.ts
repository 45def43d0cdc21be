import { InvalidArgumentError } from '../core/errors.js';
import { expectOptions, optionNames } from '../core/options.js';
import { describeValue } from '../core/validate.js';
import { createDeferred } from './deferred.js';
import { RaceTimeoutError } from './errors.js';
import { expectTimeout } from './expect.js';
import { realClearTimeout, realSetTimeout } from './real-timers.js';

/** A countdown latch: `countDown` never waits; `wait` resolves once it has been called `count` times. */
export interface Latch {
  countDown(): void;
  /**
   * Resolves when the count reaches zero. Rejects with `RaceTimeoutError`
   * after `timeoutMs` (default 10 000), or with `InvalidArgumentError` when
   * `timeoutMs` is not a positive number.
   */
  wait(options?: { timeoutMs?: number }): Promise<void>;
  /** How many `countDown` calls are still missing. */
  readonly remaining: number;
}

const LATCH_WAIT_OPTIONS = optionNames<NonNullable<Parameters<Latch['wait']>[0]>>({ timeoutMs: true });

/**
 * Creates a latch: "wait until N things have happened" without making those N
 * things wait (unlike a barrier). For example, hold a request that is inside
 * a lock until every other request has arrived and is queued behind it.
 *
 * @throws {InvalidArgumentError} when `count` is not a non-negative integer.
 * @example
 * ```ts
 * const arrived = createLatch(10);
 * app.use((req, res, next) => { arrived.countDown(); next(); }, globalLock());
 * app.get('/', async (req, res) => { await arrived.wait(); res.end(); }); // all 10 are queued by now
 * ```
 */
export function createLatch(count: number): Latch {
  if (!Number.isInteger(count) || count < 0) {
    throw new InvalidArgumentError(`Expected \`count\` to be a non-negative integer, got ${describeValue(count)}.`);
  }
  const origin = new Error('latch created here');
  const opened = createDeferred();
  let remaining = count;
  if (remaining === 0) opened.resolve();
  return {
    countDown() {
      if (remaining === 0) return;
      remaining -= 1;
      if (remaining === 0) opened.resolve();
    },
    get remaining() {
      return remaining;
    },
    async wait(options = {}) {
      expectOptions(options, LATCH_WAIT_OPTIONS, 'latch.wait()');
      const { timeoutMs = 10_000 } = options;
      expectTimeout('timeoutMs', timeoutMs);
      if (opened.settled) return opened.promise;
      return new Promise<void>((resolve, reject) => {
        const timer = realSetTimeout(() => {
          reject(
            new RaceTimeoutError(
              `Latch timed out after ${timeoutMs} ms with ${remaining} of ${count} count-downs missing.`,
              { cause: origin },
            ),
          );
        }, timeoutMs);
        opened.promise.then(() => {
          realClearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
