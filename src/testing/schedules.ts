import { CurrentAttributesError, InvalidArgumentError } from '../core/errors.js';
import { expectOptions, optionNames } from '../core/options.js';
import { importPeer } from '../core/peer.js';
import { describeValue, expectFunction } from '../core/validate.js';
import { expectPositiveInteger, expectTimeout } from './expect.js';

/**
 * The part of fast-check's `Scheduler` (versions 3 and 4) that a check
 * uses. Declared here rather than imported, so that importing
 * `current-attributes/testing` type-checks without fast-check installed
 * (fast-check is an optional peer dependency). A check may type its
 * parameter as fast-check's own `Scheduler`, which has all of these.
 *
 * @example
 * ```ts
 * await exploreSchedules(async (scheduler: ScheduleController) => {
 *   const read = scheduler.scheduleFunction(async () => value);
 *   await scheduler.waitFor(Promise.all([read(), read()]));
 * });
 * ```
 */
export interface ScheduleController {
  /** Holds `task` until the scheduler releases it. */
  schedule<T>(task: Promise<T>, label?: string): Promise<T>;
  /** Wraps `asyncFunction` so that each call's result is held until the scheduler releases it. */
  scheduleFunction<TArgs extends unknown[], T>(
    asyncFunction: (...args: TArgs) => Promise<T>,
  ): (...args: TArgs) => Promise<T>;
  /** How many scheduled tasks wait to be released. */
  count(): number;
  /** Releases one scheduled task. */
  waitOne(): Promise<void>;
  /** Releases every scheduled task, also those scheduled meanwhile. */
  waitAll(): Promise<void>;
  /** Releases scheduled tasks, in the scheduler's order, until `task` settles, and returns its result. */
  waitFor<T>(task: Promise<T>): Promise<T>;
}

/** Options of `exploreSchedules`. */
export interface ExploreOptions {
  /** How many interleavings to try. Default 100. */
  readonly numRuns?: number;
  /** Replays the run of a failure: pass the `seed` and `path` it reported. */
  readonly seed?: number;
  readonly path?: string;
  /** How long one run may take before it counts as a failure (a deadlock under some order), in ms. Default 10 000. */
  readonly timeoutMs?: number;
}

const EXPLORE_OPTIONS = optionNames<ExploreOptions>({ numRuns: true, seed: true, path: true, timeoutMs: true });

/**
 * Thrown when some interleaving breaks the check. It carries what replays
 * it (`seed`, `path`) and the order in which the scheduler released the
 * scheduled calls.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof ScheduleFailureError) await exploreSchedules(check, { seed: error.seed, path: error.path });
 * }
 * ```
 */
export class ScheduleFailureError extends CurrentAttributesError {
  override name = 'ScheduleFailureError';

  constructor(
    readonly seed: number,
    readonly path: string,
    readonly schedule: string,
    cause: unknown,
  ) {
    super(
      `An interleaving broke the check: ${cause instanceof Error ? cause.message : String(cause)}\n` +
        `Schedule: ${schedule}\n` +
        `Replay it with exploreSchedules(check, { seed: ${seed}, path: ${JSON.stringify(path)} }).`,
      { cause },
    );
  }
}

/**
 * Explores interleavings of async calls deterministically with fast-check's
 * scheduler, instead of hoping the bad one happens: `check` wraps the calls
 * whose order matters with `scheduler.scheduleFunction` (or schedules
 * promises with `scheduler.schedule`), starts the concurrent work, runs
 * `scheduler.waitAll()`, and asserts. Each run releases the scheduled calls
 * in another order; a failure is shrunk to a small one and can be replayed.
 *
 * fast-check is an optional peer dependency, loaded on first use.
 *
 * @throws {ScheduleFailureError} with the seed and path of the failing order.
 * @throws {InvalidArgumentError} when an option is malformed or unknown.
 * @throws {MissingPeerDependencyError} when fast-check (an optional peer dependency) is not installed.
 * @example
 * ```ts
 * await exploreSchedules(async (s) => {
 *   const store = { read: s.scheduleFunction(db.read), write: s.scheduleFunction(db.write) };
 *   const both = Promise.all([increment(store), increment(store)]);
 *   await s.waitAll();
 *   await both;
 *   expect(await db.read()).toBe(2);
 * });
 * ```
 */
export async function exploreSchedules<S extends ScheduleController = ScheduleController>(
  check: (scheduler: S) => Promise<void>,
  options: ExploreOptions = {},
): Promise<{ runs: number }> {
  expectFunction('check', check);
  expectOptions(options, EXPLORE_OPTIONS, 'exploreSchedules()');
  const { numRuns = 100, seed, path, timeoutMs = 10_000 } = options;
  // fast-check reports a negative count as a failure with no cause, and spins forever on a fractional one.
  expectPositiveInteger('numRuns', numRuns);
  expectTimeout('timeoutMs', timeoutMs);
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new InvalidArgumentError(`Expected \`seed\` to be an integer, got ${describeValue(seed)}.`);
  }
  if (path !== undefined && typeof path !== 'string') {
    throw new InvalidArgumentError(`Expected \`path\` to be a string, got ${describeValue(path)}.`);
  }
  const fc = await importPeer(() => import('fast-check'), {
    packageName: 'fast-check',
    neededBy: '`exploreSchedules` from current-attributes/testing',
    dev: true,
  });
  const details = await fc.check(
    // fast-check's Scheduler is the S a check declares: S only names the members it uses.
    fc.asyncProperty(fc.scheduler(), (scheduler) => check(scheduler as unknown as S)),
    { numRuns, timeout: timeoutMs, ...(seed === undefined ? {} : { seed }), ...(path === undefined ? {} : { path }) },
  );
  if (details.failed) {
    const [scheduler] = details.counterexample ?? [];
    throw new ScheduleFailureError(
      details.seed,
      details.counterexamplePath ?? '',
      scheduler ? String(scheduler) : 'unknown',
      details.errorInstance,
    );
  }
  return { runs: details.numRuns };
}
