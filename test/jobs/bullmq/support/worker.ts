// The worker process of jobs.test.ts: one BullMQ Worker on the `jobs` queue.
import { type Job, Worker } from 'bullmq';
import { defineCurrent, type SerializedContext } from 'current-attributes';
import { processWithContext } from 'current-attributes/bullmq';
import { type Barrier, createBarrier } from 'current-attributes/testing';
import { reportReady } from '../../../../examples/support/child-process.js';
import { Current } from './job-current.js';

/** The older release of `Billing`: the test process's has a `seats` attribute too. */
class Billing {
  plan?: string;
}
const OlderBilling = defineCurrent(Billing);

const concurrency = Number(process.env.CONCURRENCY);
const groups = new Map<number, Barrier>();
let startedTogether = 0;

/** The n-th `together` job waits for the next `concurrency - 1`: every scope of a group is alive at once. */
function withTheRestOfItsGroup(): Promise<void> {
  const group = Math.floor(startedTogether++ / concurrency);
  const barrier = groups.get(group) ?? createBarrier(concurrency, { timeoutMs: 60_000 });
  groups.set(group, barrier);
  return barrier.arrive();
}

const seen = (job: Job) => ({
  isActive: Current.isActive,
  user: Current.user ?? null,
  requestId: Current.requestId,
  attemptsMade: job.attemptsMade,
});

const processor = processWithContext(async (job: Job<{ payload?: SerializedContext[string] }>) => {
  switch (job.name) {
    case 'together':
      await withTheRestOfItsGroup();
      return seen(job);
    case 'retried':
      if (job.attemptsMade === 0) {
        Current.user = 'changed by the failed attempt';
        throw new Error('the first attempt fails');
      }
      return seen(job);
    case 'billing':
      return OlderBilling.attributes;
    case 'billing restored directly':
      return OlderBilling.restore(job.data.payload as never, () => OlderBilling.attributes);
    default:
      return seen(job);
  }
});

/**
 * Calls `run` with the process warnings it emits collected rather than
 * printed, and returns them with its result: the test asserts them, so a clean
 * run of the suite prints none. `restore` warns synchronously, before the
 * processor's first await, so no other job's warning lands here.
 */
async function withWarnings(run: () => Promise<unknown>): Promise<{ returned: unknown; warnings: string[] }> {
  const warnings: string[] = [];
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, options?: string | { type?: string }) => {
    const type = typeof options === 'string' ? options : (options?.type ?? 'Warning');
    warnings.push(typeof warning === 'string' ? `${type}: ${warning}` : `${warning.name}: ${warning.message}`);
  }) as typeof process.emitWarning;
  let pending: Promise<unknown>;
  try {
    pending = run();
  } finally {
    process.emitWarning = emitWarning;
  }
  return { returned: await pending, warnings };
}

const worker = new Worker(
  'jobs',
  (job: Job) => (job.name.startsWith('billing') ? withWarnings(() => processor(job)) : processor(job)),
  {
    connection: { url: process.env.REDIS_URL as string },
    prefix: process.env.QUEUE_PREFIX as string,
    concurrency,
  },
);
await worker.waitUntilReady();
reportReady(() => worker.close());
