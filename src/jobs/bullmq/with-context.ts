import { type SerializedContext, serializeContext } from '../../core/context.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectOptions, optionNames } from '../../core/options.js';
import type { AnyCurrent } from '../../core/registry.js';
import { describeValue, isPlainObject } from '../../core/validate.js';

/**
 * The key of job data under which `withContext` stores the context.
 *
 * @example
 * ```ts
 * // Enqueue a follow-up job from a job's data, in the running job's context.
 * const { [CONTEXT_KEY]: _, ...data } = job.data;
 * await followUps.add('notify', withContext(data));
 * ```
 */
export const CONTEXT_KEY = 'currentAttributes';

/**
 * What `withContext` adds to job data: the context of the scope that enqueued the job, if there was one.
 *
 * @example
 * ```ts
 * const reports = new Queue<ReportRequest & JobContext>('reports', { connection });
 * ```
 */
export interface JobContext {
  readonly [CONTEXT_KEY]?: SerializedContext;
}

/** Options of `withContext`. */
export interface WithContextOptions {
  /** The definitions whose values the job carries. Default: every `Current` defined in this process. */
  readonly currents?: readonly AnyCurrent[];
}

const WITH_CONTEXT_OPTIONS = optionNames<WithContextOptions>({ currents: true });

/**
 * Returns a copy of `data` that carries the active scope's `Current` values
 * (every definition's, or those of `options.currents`) to the job, for
 * `processWithContext` to restore in the worker. Outside any scope (a
 * script, a timer) it adds nothing, and the job runs in an empty scope.
 *
 * The context is plain data in `job.data.currentAttributes`: it is stored
 * with the job, so retries and delayed jobs keep it. If you replace the data
 * with `job.updateData`, keep that key.
 *
 * @param data - the job's data: a plain object.
 * @throws {InvalidArgumentError} when `data` is not a plain object, or already has a `currentAttributes` key, or an option is unknown.
 * @throws {InvalidDefinitionError} when two definitions to carry share a name.
 * @throws {UnserializableAttributeError} when an attribute cannot be cloned (a function, a socket).
 * @example
 * ```ts
 * app.post('/reports', async (req, res) => {
 *   const job = await reports.add('monthly', withContext({ month: req.body.month }));
 *   res.status(202).json({ job: job.id });
 * });
 * ```
 */
export function withContext<D extends object>(data: D, options: WithContextOptions = {}): D & JobContext {
  if (!isPlainObject(data)) {
    throw new InvalidArgumentError(
      `Expected \`data\` to be a plain object (the job's data), got ${describeValue(data)}. ` +
        'Wrap other values in one: withContext({ value }).',
    );
  }
  if (Object.hasOwn(data, CONTEXT_KEY)) {
    throw new InvalidArgumentError(
      `Expected \`data\` to have no \`${CONTEXT_KEY}\` key, got one: withContext() adds it. ` +
        `When enqueueing from another job's data, leave it out: const { ${CONTEXT_KEY}, ...rest } = job.data.`,
    );
  }
  expectOptions(options, WITH_CONTEXT_OPTIONS, 'withContext()');
  const context = serializeContext(options.currents);
  return context === undefined ? { ...data } : { ...data, [CONTEXT_KEY]: context };
}
