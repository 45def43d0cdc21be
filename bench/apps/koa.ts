import { createServer, type Server } from 'node:http';
import { currentMiddleware, globalLock } from 'current-attributes/koa';
import Koa, { type Middleware } from 'koa';
import type { Strategy } from '../frameworks.js';
import { contextFor, type FrameworkContexts } from './contexts.js';
import { answer } from './keepers.js';
import { delayOf } from './request.js';

// Koa has no request-context package of its own.
const contexts: FrameworkContexts<Middleware> = {
  name: 'Koa',
  lock: () => globalLock(),
  current: () => currentMiddleware(),
  als: (run) => (_ctx, next) => run(next),
};

/**
 * The Koa 3 server of one strategy.
 *
 * @example
 * ```ts
 * (await createKoaServer('als')).listen(0, '127.0.0.1');
 * ```
 */
export async function createKoaServer(strategy: Strategy): Promise<Server> {
  const { before, keeper } = contextFor(strategy, contexts);
  const app = new Koa();
  if (before) app.use(before);
  app.use(async (ctx) => {
    ctx.body = await answer(keeper, ctx.get('x-user'), delayOf(ctx.url));
  });
  return createServer(app.callback());
}
