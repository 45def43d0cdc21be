import { createServer, type Server } from 'node:http';
import { currentMiddleware, globalLock } from 'current-attributes/express';
import express, { type RequestHandler } from 'express';
import httpContext from 'express-http-context';
import type { Strategy } from '../frameworks.js';
import { contextFor, type FrameworkContexts } from './contexts.js';
import { answer } from './keepers.js';
import { delayOf } from './request.js';

const contexts: FrameworkContexts<RequestHandler> = {
  name: 'Express',
  lock: () => globalLock(),
  current: () => currentMiddleware(),
  als: (run) => (_req, _res, next) => run(next),
  peer: () => ({
    before: httpContext.middleware,
    keeper: { write: (user) => httpContext.set('user', user), read: () => httpContext.get('user') },
  }),
};

/**
 * The Express 5 server of one strategy.
 *
 * @example (await createExpressServer('peer')).listen(0, '127.0.0.1');
 */
export async function createExpressServer(strategy: Strategy): Promise<Server> {
  const { before, keeper } = contextFor(strategy, contexts);
  const app = express();
  app.disable('etag');
  app.disable('x-powered-by');
  if (before) app.use(before);
  app.get('/', async (req, res) => {
    res.send(await answer(keeper, req.get('x-user'), delayOf(req.url)));
  });
  return createServer(app);
}
