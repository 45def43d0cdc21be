import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { currentMiddleware, globalLock } from 'current-attributes/hono';
import { Hono, type MiddlewareHandler } from 'hono';
import { contextStorage, getContext } from 'hono/context-storage';
import type { Strategy } from '../frameworks.js';
import { answer, currentAttribute, type Keeper, moduleVariable, rawStorage } from './keepers.js';
import { delayOf } from './request.js';

type Env = { Variables: { user?: string } };

/** What runs before the handler, and how the handler keeps the user. */
function contextOf(strategy: Strategy): { middleware?: MiddlewareHandler<Env>; keeper?: Keeper } {
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
      return { middleware: (_c, next) => storage.run(next), keeper: storage };
    }
    case 'peer':
      return {
        middleware: contextStorage(),
        keeper: { write: (user) => getContext<Env>().set('user', user), read: () => getContext<Env>().var.user },
      };
  }
}

/** The Hono 4 server of one strategy, on @hono/node-server. */
export async function createHonoServer(strategy: Strategy): Promise<Server> {
  const { middleware, keeper } = contextOf(strategy);
  const app = new Hono<Env>();
  if (middleware) app.use(middleware);
  app.get('/', async (c) => c.text(await answer(keeper, c.req.header('x-user'), delayOf(c.req.url))));
  return createAdaptorServer({ fetch: app.fetch }) as Server;
}
