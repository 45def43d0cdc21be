import { expectOptions, optionNames } from '../core/options.js';
import { expectFunction } from '../core/validate.js';
import { createBarrier } from './barrier.js';
import { RaceTimeoutError } from './errors.js';
import { expectPositiveInteger } from './expect.js';
import { realClearTimeout, realSetTimeout } from './real-timers.js';

/** Options of `startTogether`. */
export interface StartTogetherOptions {
  /** How long the tasks may take, all together, before the call fails, in ms. Default 10 000. */
  readonly timeoutMs?: number;
}

const START_TOGETHER_OPTIONS = optionNames<StartTogetherOptions>({ timeoutMs: true });

/**
 * Starts `count` tasks at the same moment, held at a barrier until every one
 * is ready, and collects every outcome, fulfilled or rejected, in task order.
 * The shape of the "4 customers buy the last 3 items" test.
 *
 * @throws {InvalidArgumentError} when `count` is not a positive integer, `task` not a function, or an option is unknown.
 * @throws {RaceTimeoutError} when some task has not settled after `timeoutMs`; the message lists them.
 * @example
 * ```ts
 * const outcomes = await startTogether(4, (customer) => shop.buy('last-items', customer));
 * expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
 * ```
 */
export async function startTogether<T>(
  count: number,
  task: (index: number) => T | Promise<T>,
  options: StartTogetherOptions = {},
): Promise<PromiseSettledResult<Awaited<T>>[]> {
  expectPositiveInteger('count', count);
  expectFunction('task', task);
  expectOptions(options, START_TOGETHER_OPTIONS, 'startTogether()');
  const { timeoutMs = 10_000 } = options;
  const origin = new Error('startTogether called here');
  const barrier = createBarrier(count, { timeoutMs });
  const settled = new Set<number>();
  const all = Promise.allSettled(
    Array.from({ length: count }, async (_, index) => {
      try {
        await barrier.arrive();
        return await task(index);
      } finally {
        settled.add(index);
      }
    }),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = realSetTimeout(() => {
      const pending = Array.from({ length: count }, (_, index) => index).filter((index) => !settled.has(index));
      reject(
        new RaceTimeoutError(
          `${pending.length} of ${count} tasks had not settled after ${timeoutMs} ms (tasks ${pending.join(', ')}). ` +
            'A task may wait for another that waits for it; raise `timeoutMs` if they are just slow.',
          { cause: origin },
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([all, timeout]);
  } finally {
    realClearTimeout(timer);
  }
}
