import type { Queue } from 'bullmq';
import { withContext } from 'current-attributes/bullmq';
import { currentMiddleware } from 'current-attributes/express';
import express, { type RequestHandler } from 'express';
import { Current } from './current.js';

export interface ReportRequest {
  readonly title: string;
}

/** `extra` middleware runs between the scope's setup and the routes. */
export function createApp(reports: Queue<ReportRequest>, ...extra: RequestHandler[]) {
  const app = express();
  app.use(
    currentMiddleware({
      setup: (req) => {
        Current.user = req.get('x-user');
        Current.requestId = req.get('x-request-id') ?? Current.requestId;
      },
    }),
  );
  app.use(...extra);
  app.post('/reports/:title', async (req, res) => {
    // The job carries this request's Current (user, request id) to the worker.
    const job = await reports.add('report', withContext({ title: req.params.title }));
    res.status(202).json({ job: job.id });
  });
  return app;
}
