import { currentMiddleware } from 'current-attributes/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { Current } from './current.js';
import { createPayments, type Gateway } from './payments.js';

export function createApp(logger: Logger, gateway?: Gateway) {
  const payments = createPayments(logger, gateway);
  const app = express();
  app.use(
    currentMiddleware({
      setup: (req) => {
        Current.requestId = req.get('x-request-id') ?? Current.requestId;
        const user = req.get('x-user');
        Current.user = user === undefined ? undefined : { id: user, name: user };
      },
    }),
  );
  // pino-http's own lines (request completed, request errored) use the same id.
  app.use(pinoHttp({ logger, genReqId: () => Current.requestId }));
  app.post('/orders/:order', async (req, res) => {
    req.log.info({ order: req.params.order }, 'placing order');
    await payments.charge(req.params.order);
    res.json({ order: req.params.order, requestId: Current.requestId });
  });
  app.use((error: Error, req: Request, res: Response, _next: NextFunction) => {
    req.log.error({ err: error, url: req.originalUrl }, 'order failed');
    res.status(402).json({ error: error.message });
  });
  return app;
}
