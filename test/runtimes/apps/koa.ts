import { createServer, type Server } from 'node:http';
import { currentMiddleware, globalLock } from 'current-attributes/koa';
import Koa from 'koa';
import { Current, io, lockedWork, overlapCount } from './shared.js';

/** The same routes on Koa 3 with its adapter and a `globalLock`. */
export function koaServer(): Server {
  const lock = globalLock();
  const app = new Koa();
  app.use(
    currentMiddleware({
      setup: (ctx) => {
        Current.user = ctx.get('x-user') || undefined;
      },
    }),
  );
  app.use(async (ctx, next) => {
    if (ctx.path === '/read') {
      await io();
      ctx.body = Current.user ?? '';
    } else if (ctx.path === '/locked') {
      await lock(ctx, async () => {
        ctx.body = await lockedWork();
      });
    } else if (ctx.path === '/stats') ctx.body = { overlaps: overlapCount(), lock: lock.stats };
    else await next();
  });
  return createServer(app.callback());
}
