import type { AddressInfo } from 'node:net';
import type { Job, Queue, QueueEvents } from 'bullmq';
import { createBarrier } from 'current-attributes/testing';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type QueueWithWorker, startQueueWithWorker } from '../support/queue-with-worker.js';
import { createApp, type ReportRequest } from './app.js';

const redisUrl = inject('redisUrl');
const REQUESTS = 200;

// Skipped only outside CI when redis-server is not installed (the global setup says so).
describe.skipIf(redisUrl === '')('the request’s Current in a BullMQ worker in another process', () => {
  let reports: Queue<ReportRequest>;
  let events: QueueEvents;
  let started: QueueWithWorker<ReportRequest>;

  beforeAll(async () => {
    started = await startQueueWithWorker('reports', {
      redisUrl,
      worker: new URL('./worker.ts', import.meta.url),
      waiting: REQUESTS,
    });
    ({ queue: reports, events } = started);
  });
  afterAll(() => started?.close());

  test(`${REQUESTS} concurrent requests each get a job that sees their user and request id, where a module global serves others'`, async () => {
    // Every request sets its Current, then waits here until all of them
    // have: all are in flight together when they enqueue.
    const allInFlight = createBarrier(REQUESTS, { timeoutMs: 60_000 });
    let lastUser: string | undefined;
    const globalSaw = new Map<string, string | undefined>();
    const app = createApp(reports, async (req, _res, next) => {
      lastUser = req.get('x-user');
      await allInFlight.arrive();
      globalSaw.set(req.get('x-request-id') as string, lastUser);
      next();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const jobs = await Promise.all(
        Array.from({ length: REQUESTS }, async (_, index) => {
          const response = await fetch(`http://127.0.0.1:${port}/reports/report-${index}`, {
            method: 'POST',
            headers: { 'x-user': `user-${index}`, 'x-request-id': `request-${index}` },
          });
          const { job } = (await response.json()) as { job: string };
          return { index, job: (await reports.getJob(job)) as Job<ReportRequest> };
        }),
      );
      const seen = await Promise.all(jobs.map(({ job }) => job.waitUntilFinished(events, 60_000)));
      const wrong = jobs.filter(
        ({ index }, at) =>
          JSON.stringify(seen[at]) !==
          JSON.stringify({ title: `report-${index}`, for: `user-${index}`, requestId: `request-${index}` }),
      );
      expect(wrong).toEqual([]);
      const globalWrong = jobs.filter(({ index }) => globalSaw.get(`request-${index}`) !== `user-${index}`);
      expect(globalWrong.length).toBeGreaterThan(REQUESTS / 2);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 120_000);
});
