import { randomUUID } from 'node:crypto';
import { type Job, Queue, Worker } from 'bullmq';
import { inContextOf, processWithContext, withContext } from 'current-attributes/bullmq';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { Current } from './support/job-current.js';

const redisUrl = inject('redisUrl');

describe.skipIf(redisUrl === '')('failure handlers and multi-step jobs run in the job’s restored context', () => {
  const connection = { url: redisUrl };
  const prefix = `failure-${randomUUID()}`;
  let queue: Queue;
  let worker: Worker;
  const failed: Array<{ user: unknown; requestId: unknown; attemptsMade: number }> = [];
  const steps: Array<{ step: number; user: unknown }> = [];
  let allFailed: () => void;
  const failedTwice = new Promise<void>((resolve) => (allFailed = resolve));

  beforeAll(async () => {
    queue = new Queue('failing', { connection, prefix });
    worker = new Worker(
      'failing',
      processWithContext(async (job: Job<{ step?: number }>) => {
        if (job.name === 'steps') {
          // Each step of a multi-step job (BullMQ's step-job pattern) runs in the restored context.
          for (let step = job.data.step ?? 1; step <= 3; step += 1) {
            steps.push({ step, user: Current.user });
            await job.updateData({ ...job.data, step: step + 1 });
          }
          return 'done';
        }
        Current.user = 'changed by the attempt';
        throw new Error('boom');
      }),
      { connection, prefix },
    );
    worker.on(
      'failed',
      inContextOf((job, _error) => {
        failed.push({ user: Current.user, requestId: Current.requestId, attemptsMade: job?.attemptsMade ?? -1 });
        if (failed.length === 2) allFailed();
      }),
    );
    await worker.waitUntilReady();
  });

  afterAll(async () => {
    await worker?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
  });

  test('a failed listener sees the user and request id of the request that enqueued the job, on every attempt', async () => {
    await Current.run(() => {
      Current.user = 'ann';
      Current.requestId = 'request-failing';
      return queue.add('fails', withContext({}), { attempts: 2 });
    });
    await failedTwice;
    expect(failed).toEqual([
      { user: 'ann', requestId: 'request-failing', attemptsMade: 1 },
      { user: 'ann', requestId: 'request-failing', attemptsMade: 2 },
    ]);
  });

  test('every step of a multi-step job sees the enqueueing request’s user', async () => {
    const job = await Current.run(() => {
      Current.user = 'bob';
      return queue.add('steps', withContext({}));
    });
    await new Promise<void>((resolve) => {
      const check = () => (steps.length === 3 ? resolve() : setTimeout(check, 20));
      check();
    });
    expect(steps).toEqual([
      { step: 1, user: 'bob' },
      { step: 2, user: 'bob' },
      { step: 3, user: 'bob' },
    ]);
    expect(job.id).toBeDefined();
  });
});
