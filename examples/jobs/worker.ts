// The worker process: `REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/jobs/worker.ts`.
import { Worker } from 'bullmq';
import { reportReady } from '../support/child-process.js';
import { buildReport } from './report.js';

const worker = new Worker('reports', buildReport, {
  connection: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  prefix: process.env.QUEUE_PREFIX ?? 'bull',
  concurrency: 50,
});
await worker.waitUntilReady();
reportReady(() => worker.close());
