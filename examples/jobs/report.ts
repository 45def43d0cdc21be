import type { Job } from 'bullmq';
import { processWithContext } from 'current-attributes/bullmq';
import type { ReportRequest } from './app.js';
import { Current } from './current.js';

/** The worker's processor: runs in a scope restored from the request that enqueued the job. */
export const buildReport = processWithContext(async (job: Job<ReportRequest>) => {
  await new Promise((resolve) => setImmediate(resolve));
  return { title: job.data.title, for: Current.user, requestId: Current.requestId };
});
