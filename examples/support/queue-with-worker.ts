import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { startProcess } from './child-process.js';

/** A BullMQ queue of its own (a fresh key prefix) with a worker process on it. */
export interface QueueWithWorker<D> {
  readonly queue: Queue<D>;
  /** For `job.waitUntilFinished(events)`. */
  readonly events: QueueEvents;
  /** Stops the worker, then removes the queue's keys and closes its connections. */
  close(): Promise<void>;
}

/**
 * Opens the queue `name` under a fresh prefix on `redisUrl`, and starts
 * `worker` in its own process with `REDIS_URL` and `QUEUE_PREFIX` set (and
 * `env`). `waiting` is how many jobs the test waits for at once: each
 * `waitUntilFinished` listens on the queue.
 */
export async function startQueueWithWorker<D>(
  name: string,
  options: { redisUrl: string; worker: URL; waiting: number; env?: Readonly<Record<string, string>> },
): Promise<QueueWithWorker<D>> {
  const { redisUrl, worker, waiting, env = {} } = options;
  const connection = { url: redisUrl };
  const prefix = `test-${randomUUID()}`;
  const queue = new Queue<D>(name, { connection, prefix });
  queue.setMaxListeners(waiting + 10);
  const events = new QueueEvents(name, { connection, prefix });
  await events.waitUntilReady();
  const process = await startProcess(worker, { ...env, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix });
  return {
    queue,
    events,
    async close() {
      await process.stop();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    },
  };
}
