import type { Job, Queue, QueueEvents } from 'bullmq';
import { defineCurrent } from 'current-attributes';
import { withContext } from 'current-attributes/bullmq';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type QueueWithWorker, startQueueWithWorker } from '../../../examples/support/queue-with-worker.js';
import { Current } from './support/job-current.js';

const redisUrl = inject('redisUrl');
const CONCURRENCY = 25;
const TOGETHER = 4 * CONCURRENCY;

/** The newer release of the worker's `Billing`: it added `seats`. */
class Billing {
  plan?: string;
  seats?: number;
}
const NewerBilling = defineCurrent(Billing);

// Skipped only outside CI when redis-server is not installed (the global setup says so).
describe.skipIf(redisUrl === '')('jobs run in the context of the code that enqueued them', () => {
  let queue: Queue;
  let events: QueueEvents;
  let started: QueueWithWorker<unknown>;

  beforeAll(async () => {
    started = await startQueueWithWorker('jobs', {
      redisUrl,
      worker: new URL('./support/worker.ts', import.meta.url),
      waiting: TOGETHER,
      env: { CONCURRENCY: String(CONCURRENCY) },
    });
    ({ queue, events } = started);
  });
  afterAll(() => started?.close());

  /** What the job returned, or the reason it failed. */
  const outcome = async (job: Job) => {
    try {
      return { returned: await job.waitUntilFinished(events, 60_000) };
    } catch (error) {
      return { failed: (error as Error).message };
    }
  };

  const enqueueAs = (user: string, requestId: string, name: string, options = {}) =>
    Current.run(() => {
      Current.user = user;
      Current.requestId = requestId;
      return queue.add(name, withContext({}), options);
    });

  test(`${TOGETHER} jobs, ${CONCURRENCY} alive at once in the worker, each see their own user and request id`, async () => {
    const jobs = await Promise.all(
      Array.from({ length: TOGETHER }, (_, index) => enqueueAs(`user-${index}`, `request-${index}`, 'together')),
    );
    const outcomes = await Promise.all(jobs.map(outcome));
    expect(outcomes).toEqual(
      outcomes.map((_, index) => ({
        returned: { isActive: true, user: `user-${index}`, requestId: `request-${index}`, attemptsMade: 0 },
      })),
    );
  }, 120_000);

  test('a retry starts again from the stored context, not from what the failed attempt changed', async () => {
    const job = await enqueueAs('ann', 'request-retried', 'retried', { attempts: 2 });
    expect(await outcome(job)).toEqual({
      returned: { isActive: true, user: 'ann', requestId: 'request-retried', attemptsMade: 1 },
    });
  });

  test('a delayed job keeps the context of the request that scheduled it', async () => {
    const job = await enqueueAs('bob', 'request-delayed', 'delayed', { delay: 3_600_000 });
    expect(await job.getState()).toBe('delayed');
    await job.promote();
    expect(await outcome(job)).toEqual({
      returned: { isActive: true, user: 'bob', requestId: 'request-delayed', attemptsMade: 0 },
    });
  });

  test('a job enqueued outside any scope, or without withContext, runs in an empty scope of its own', async () => {
    const outside = await queue.add('outside', withContext({}));
    const plain = await queue.add('plain', { report: 'monthly' });
    const [fromOutside, fromPlain] = await Promise.all([outcome(outside), outcome(plain)]);
    for (const seen of [fromOutside, fromPlain]) {
      expect(seen).toEqual({
        returned: { isActive: true, user: null, requestId: expect.any(String), attemptsMade: 0 },
      });
    }
    expect(fromOutside.returned.requestId).not.toBe(fromPlain.returned.requestId);
  });

  test('values from a newer release of a class are handled as that class’s restore() documents', async () => {
    const [viaContext, direct] = await NewerBilling.run(() => {
      NewerBilling.plan = 'pro';
      NewerBilling.seats = 12;
      return Promise.all([
        queue.add('billing', withContext({}, { currents: [NewerBilling] })),
        queue.add('billing restored directly', { payload: NewerBilling.serialize() }),
      ]);
    });
    // restore() drops `seats`, which the worker's older class does not
    // declare, with one warning, and the job sees `plan`: the job must meet
    // what restore() does with the same payload, warning included.
    const restored = await outcome(direct);
    expect(restored).toEqual({
      returned: {
        returned: { plan: 'pro' },
        warnings: [expect.stringMatching(/^CurrentAttributesWarning: Billing\.restore\(\) dropped `seats`/)],
      },
    });
    expect(await outcome(viaContext)).toEqual(restored);
  });
});
