import { checkRestoreOptions, payloadsOf, type RestoreContextOptions, restoreChecked } from '../../core/context.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { describeValue, expectFunction, isRevokedProxy } from '../../core/validate.js';
import { contextOf, endingDeadline, scopeFor } from '../../transports/context-carrier.js';

/** What `processWithContext` needs of a job: a BullMQ `Job` and a sandboxed processor's job both have it. */
export interface JobWithData {
  readonly data: unknown;
}

/**
 * Wraps a BullMQ processor so every attempt of every job runs in a fresh
 * scope restored from the context `withContext` stored in its data: the
 * enqueueing request's `Current` values, each definition through its own
 * `restore()`. A job without one (enqueued outside a scope, without
 * `withContext`, or with data that is not an object) runs in an empty
 * scope. The scope ends, running reset callbacks, when the processor
 * settles; a retry starts again from the stored context, not from what the
 * failed attempt changed.
 *
 * Works for an inline processor and a sandboxed one (export the wrapped
 * function from the processor file). BullMQ is never imported at run time.
 *
 * @param options - which definitions to restore, and what to do with one this process does not define.
 * @throws {InvalidArgumentError} when `processor` is not a function or an option is malformed or unknown; the wrapped processor throws it when called with something other than a job, and a job whose stored context is not one fails with it.
 * @throws {InvalidDefinitionError} when two of `options.currents` share a name.
 * @example
 * ```ts
 * new Worker('reports', processWithContext(async (job) => {
 *   return buildReport(job.data.month, Current.user); // the user who asked for it
 * }), { connection });
 * ```
 */
export function processWithContext<J extends JobWithData, A extends unknown[], R>(
  processor: (job: J, ...rest: A) => R,
  options: RestoreContextOptions = {},
): (job: J, ...rest: A) => R {
  expectFunction('processor', processor);
  const checked = checkRestoreOptions(options, 'processWithContext()');
  return (job, ...rest) => {
    const data = dataOf(job);
    const scope = scopeFor(data);
    return restoreChecked(
      payloadsOf(contextOf(data)),
      endingDeadline(scope, () => processor(job, ...rest)),
      checked,
      scope,
    );
  };
}

function dataOf(job: JobWithData): unknown {
  if (job === null || typeof job !== 'object' || isRevokedProxy(job)) {
    throw new InvalidArgumentError(
      `Expected \`job\` to be a BullMQ job (an object with \`data\`), got ${describeValue(job)}. ` +
        'Pass the wrapped processor to BullMQ (new Worker(name, processWithContext(fn))), which calls it with the job.',
    );
  }
  return job.data;
}
