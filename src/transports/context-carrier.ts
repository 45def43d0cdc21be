import {
  checkRestoreOptions,
  payloadsOf,
  type RestoreContextOptions,
  restoreChecked,
  type SerializedContext,
  serializeContext,
} from '../core/context.js';
import { InvalidArgumentError } from '../core/errors.js';
import { expectOptions, optionNames } from '../core/options.js';
import type { AnyCurrent } from '../core/registry.js';
import { Scope, storage } from '../core/scope.js';
import { runThenCleanUp } from '../core/settle.js';
import { describeValue, expectFunction, isPlainObject } from '../core/validate.js';
import { Lifetime, lifetimeOf } from '../deadline/lifetime.js';
import { remainingMs } from '../deadline/request-signal.js';

/**
 * The key of a message's, job's or worker's data under which `withContext`
 * stores the context.
 *
 * @example
 * ```ts
 * const { [CONTEXT_KEY]: _, ...data } = job.data; // the data without the context
 * ```
 */
export const CONTEXT_KEY = 'currentAttributes';

/**
 * What `withContext` adds to data: the context of the scope that made it, if there was one.
 *
 * @example
 * ```ts
 * const reports = new Queue<ReportRequest & JobContext>('reports', { connection });
 * ```
 */
export interface JobContext {
  readonly [CONTEXT_KEY]?: SerializedContext;
}

/**
 * The key under which `withContext(data, { deadline: true })` stores the
 * request's deadline, as a wall-clock time in ms since the epoch.
 */
export const DEADLINE_KEY = 'currentAttributesDeadline';

/** Options of `withContext`. */
export interface WithContextOptions {
  /** The definitions whose values to carry. Default: every `Current` defined in this process. */
  readonly currents?: readonly AnyCurrent[];
  /**
   * Carry the request's deadline too: the job's `requestSignal()` aborts
   * with `DeadlineExceededError` when it passes (already aborted if the job
   * starts later). Default false: a job outlives its request.
   */
  readonly deadline?: boolean;
}

const WITH_CONTEXT_OPTIONS = optionNames<WithContextOptions>({ currents: true, deadline: true });

/**
 * Returns a copy of `data` that carries the active scope's values of every
 * `Current` (hidden ones included: this is for the application's own jobs,
 * worker threads and queues, never for another service) under
 * `currentAttributes`, for `runWithContext` (or BullMQ's
 * `processWithContext`) to restore. Outside any scope it adds nothing.
 *
 * @throws {InvalidArgumentError} when `data` is not a plain object, or already has a `currentAttributes` key, or an option is unknown.
 * @throws {UnserializableAttributeError} when an attribute cannot be cloned (a function, a socket).
 * @example
 * ```ts
 * worker.postMessage(withContext({ report: req.body }));
 * ```
 */
export function withContext<D extends object>(data: D, options: WithContextOptions = {}): D & JobContext {
  if (!isPlainObject(data)) {
    throw new InvalidArgumentError(
      `Expected \`data\` to be a plain object (the job's data, a message, workerData), got ${describeValue(data)}. Wrap other values in one: withContext({ value }).`,
    );
  }
  if (Object.hasOwn(data, CONTEXT_KEY)) {
    throw new InvalidArgumentError(
      `Expected \`data\` to have no \`${CONTEXT_KEY}\` key, got one: withContext() adds it. ` +
        `When passing on data that carried a context, leave it out: const { ${CONTEXT_KEY}, ...rest } = data.`,
    );
  }
  expectOptions(options, WITH_CONTEXT_OPTIONS, 'withContext()');
  const context = serializeContext(options.currents);
  const carried: Record<string, unknown> = context === undefined ? { ...data } : { ...data, [CONTEXT_KEY]: context };
  const remaining = options.deadline === true ? remainingMs() : Number.POSITIVE_INFINITY;
  if (remaining !== Number.POSITIVE_INFINITY) carried[DEADLINE_KEY] = Date.now() + remaining;
  return carried as D & JobContext;
}

/**
 * The fresh scope to restore `data` into: one with a deadline when `data`
 * carries one, so `requestSignal()` works in the job; a plain one otherwise.
 */
export function scopeFor(data: unknown): Scope {
  const held = storage.getStore()?.held;
  const deadline =
    data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[DEADLINE_KEY] : undefined;
  if (typeof deadline !== 'number' || !Number.isFinite(deadline)) return new Scope(undefined, -1, held);
  const lifetime = new Lifetime();
  lifetime.limitTo(Math.max(0, deadline - Date.now()));
  return new Scope(undefined, -1, held, undefined, lifetime);
}

/** Runs `fn`, then lets `scope`'s deadline timer go once `fn` settled. */
export function endingDeadline<R>(scope: Scope, fn: () => R): () => R {
  const lifetime = lifetimeOf(scope);
  if (lifetime === undefined) return fn;
  return () => runThenCleanUp(fn, () => lifetime.ended());
}

/** The context `withContext` stored in `data`, if `data` is an object that has one. */
export function contextOf(data: unknown): unknown {
  return data !== null && typeof data === 'object' ? (data as JobContext)[CONTEXT_KEY] : undefined;
}

/**
 * Runs `fn` in a fresh scope restored from the context `withContext` put in
 * `data` (a message, `workerData`), or in an empty scope when it has none.
 * The scope ends, running reset callbacks, when `fn` returns or settles.
 *
 * @throws {InvalidArgumentError} when the stored context is not one, or an option is malformed.
 * @example
 * ```ts
 * parentPort.on('message', (message) => runWithContext(message, () => buildReport(message.report)));
 * ```
 */
export function runWithContext<R>(data: unknown, fn: () => R, options: RestoreContextOptions = {}): R {
  expectFunction('fn', fn);
  const scope = scopeFor(data);
  return restoreChecked(
    payloadsOf(contextOf(data)),
    endingDeadline(scope, fn),
    checkRestoreOptions(options, 'runWithContext()'),
    scope,
  );
}

/**
 * Wraps a listener whose first argument carries a context (a BullMQ
 * worker's `'failed'` and `'completed'` events get the job), so it runs in
 * the scope restored from it: failure handlers see the same `Current` as
 * the job did.
 *
 * @example
 * ```ts
 * worker.on('failed', inContextOf((job, error) => logger.error({ err: error }, 'job failed'))); // with its request id
 * ```
 */
export function inContextOf<J extends { readonly data?: unknown } | undefined, A extends unknown[], R>(
  listener: (carrier: J, ...rest: A) => R,
  options: RestoreContextOptions = {},
): (carrier: J, ...rest: A) => R {
  expectFunction('listener', listener);
  const checked = checkRestoreOptions(options, 'inContextOf()');
  return (carrier, ...rest) =>
    restoreChecked(payloadsOf(contextOf(carrier?.data)), () => listener(carrier, ...rest), checked);
}
