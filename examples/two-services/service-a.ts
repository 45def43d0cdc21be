import { currentMiddleware } from 'current-attributes/express';
import { propagateHttp } from 'current-attributes/propagation';
import express from 'express';
import { Current } from './current.js';
import { propagator } from './propagator.js';

/** Service A (Express): authenticates its client, then calls service B with fetch. */
export function createServiceA(serviceB: string) {
  // Every fetch made in a request to B's origin carries the values; other origins get nothing.
  const stop = propagateHttp(propagator, { origins: [serviceB] });
  const app = express();
  app.use(
    currentMiddleware({
      propagator,
      deadlineMs: 5_000,
      setup: (req) => {
        // Stands in for real authentication.
        Current.tenant = req.get('x-tenant');
        Current.userId = Number(req.get('x-user'));
        Current.apiToken = req.get('authorization');
      },
    }),
  );
  app.get('/dashboard', async (_req, res) => {
    const invoices = await (await fetch(`${serviceB}/invoices`)).json();
    res.json({ servedBy: 'A', requestId: Current.requestId, invoices });
  });
  return { app, stop };
}
