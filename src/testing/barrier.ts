import { InvalidArgumentError } from '../core/errors.js';
import { expectOptions, optionNames } from '../core/options.js';
import { createDeferred } from './deferred.js';
import { RaceTimeoutError } from './errors.js';
import { expectPositiveInteger, expectTimeout } from './expect.js';
import { realClearTimeout, realSetTimeout } from './real-timers.js';

/** A one-shot barrier: every caller of `arrive` waits until `parties` callers have arrived. */
export interface Barrier {
  /** Waits until every party has arrived. Rejects with `RaceTimeoutError` when they do not arrive in time. */
  arrive(): Promise<void>;
  readonly parties: number;
  /** How many have arrived so far. */
  readonly arrived: number;
}

/** Options of `createBarrier`. */
export interface BarrierOptions {
  /** How long the first arrival waits for the rest, in ms. Default 10 000. */
  readonly timeoutMs?: number;
}

const BARRIER_OPTIONS = optionNames<BarrierOptions>({ timeoutMs: true });

/**
 * Creates a barrier for `parties` tasks: they all wait at `arrive()` and are
 * released together once the last one arrives. Put it between the write and
 * the read of shared state to force the interleaving that leaks.
 *
 * @throws {InvalidArgumentError} when `parties` is not a positive integer, `timeoutMs` not a positive number, or an option is unknown.
 * @example
 * ```ts
 * const barrier = createBarrier(2);
 * let shared: string | undefined;
 * const handle = async (user: string) => { shared = user; await barrier.arrive(); return shared; };
 * expect(await Promise.all([handle('ann'), handle('bob')])).toEqual(['bob', 'bob']);
 * ```
 */
export function createBarrier(parties: number, options: BarrierOptions = {}): Barrier {
  expectPositiveInteger('parties', parties);
  expectOptions(options, BARRIER_OPTIONS, 'createBarrier()');
  const { timeoutMs = 10_000 } = options;
  expectTimeout('timeoutMs', timeoutMs);
  // Captured here so a timeout points at the test that made the barrier.
  const origin = new Error('barrier created here');
  const released = createDeferred();
  let arrived = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  return {
    parties,
    get arrived() {
      return arrived;
    },
    arrive() {
      if (arrived === parties) {
        return Promise.reject(
          new InvalidArgumentError(
            `All ${parties} parties have already passed this barrier; create a new barrier for each round.`,
          ),
        );
      }
      arrived += 1;
      if (arrived === 1 && parties > 1) {
        timer = realSetTimeout(() => {
          const error = new RaceTimeoutError(
            `Barrier timed out after ${timeoutMs} ms: ${arrived} of ${parties} parties arrived. ` +
              'Check that every task reaches arrive(), or raise `timeoutMs`.',
            { cause: origin },
          );
          released.reject(error);
        }, timeoutMs);
      }
      if (arrived === parties) {
        if (timer !== undefined) realClearTimeout(timer);
        released.resolve();
      }
      return released.promise;
    },
  };
}
