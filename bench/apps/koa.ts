import { createServer, type Server } from 'node:http';
import { currentMiddleware, globalLock } from 'current-attributes/koa';
import Koa, { type Middleware } from 'koa';
import type { Strategy } from '../frameworks.js';
import { answer, currentAttribute, type Keeper, moduleVariable, rawStorage } from './keepers.js';
import { delayOf } from './request.js';

/** What runs before the handler, and how the handler keeps the user. Koa has no request-context peer. */
function contextOf(strategy: Strategy): { middleware?: Middleware; keeper?: Keeper } {
  switch (strategy) {
    case 'bare':
      return {};
    case 'peer':
      throw new Error('Koa has no request-context peer to measure.');
    case 'global':
      return { keeper: moduleVariable() };
    case 'global-lock':
      return { middleware: globalLock(), keeper: moduleVariable() };
    case 'current':
      return { middleware: currentMiddleware(), keeper: currentAttribute() };
    case 'als': {
      const storage = rawStorage();
      return { middleware: (_ctx, next) => storage.run(next), keeper: storage };
    }
  }
}

/** The Koa 3 server of one strategy. */
export async function createKoaServer(strategy: Strategy): Promise<Server> {
  const { middleware, keeper } = contextOf(strategy);
  const app = new Koa();
  if (middleware) app.use(middleware);
  app.use(async (ctx) => {
    ctx.body = await answer(keeper, ctx.get('x-user'), delayOf(ctx.url));
  });
  return createServer(app.callback());
}
