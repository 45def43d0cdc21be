import { createServer, type Server } from 'node:http';
import { currentMiddleware, globalLock } from 'current-attributes/express';
import express, { type RequestHandler } from 'express';
import httpContext from 'express-http-context';
import type { Strategy } from '../frameworks.js';
import { answer, currentAttribute, type Keeper, moduleVariable, rawStorage } from './keepers.js';
import { delayOf } from './request.js';

/** What runs before the handler, and how the handler keeps the user. */
function contextOf(strategy: Strategy): { middleware?: RequestHandler; keeper?: Keeper } {
  switch (strategy) {
    case 'bare':
      return {};
    case 'global':
      return { keeper: moduleVariable() };
    case 'global-lock':
      return { middleware: globalLock(), keeper: moduleVariable() };
    case 'current':
      return { middleware: currentMiddleware(), keeper: currentAttribute() };
    case 'als': {
      const storage = rawStorage();
      return { middleware: (_req, _res, next) => storage.run(next), keeper: storage };
    }
    case 'peer':
      return {
        middleware: httpContext.middleware,
        keeper: { write: (user) => httpContext.set('user', user), read: () => httpContext.get('user') },
      };
  }
}

/** The Express 5 server of one strategy. */
export async function createExpressServer(strategy: Strategy): Promise<Server> {
  const { middleware, keeper } = contextOf(strategy);
  const app = express();
  app.disable('etag');
  app.disable('x-powered-by');
  if (middleware) app.use(middleware);
  app.get('/', async (req, res) => {
    res.send(await answer(keeper, req.get('x-user'), delayOf(req.url)));
  });
  return createServer(app);
}
