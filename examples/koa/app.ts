import { currentMiddleware, keyedLock } from 'current-attributes/koa';
import Koa, { HttpError } from 'koa';
import { Current } from '../usage/current.js';
import { findUser } from '../usage/users.js';

export function createApp(balances = new Map<string, number>()) {
  const app = new Koa();
  app.use(
    currentMiddleware({
      setup: (ctx) => {
        Current.requestId = ctx.get('x-request-id') || Current.requestId;
      },
    }),
  );
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const known = error instanceof HttpError && error.expose;
      ctx.status = known ? error.status : 500;
      ctx.body = { error: known ? error.message : 'failed', requestId: Current.requestId }; // still this request's scope
      if (!known) ctx.app.emit('error', error, ctx);
    }
  });
  app.use(async (ctx, next) => {
    Current.user = await findUser(ctx.get('authorization') || undefined);
    if (Current.user === undefined) ctx.throw(401, 'unknown token');
    await next();
  });
  // The key reads Current: deposits to one account run one at a time, others in parallel.
  const perAccount = keyedLock({ key: () => `account:${Current.account}`, timeoutMs: 5000 });
  app.use(async (ctx, next) => (ctx.path === '/deposit' ? perAccount(ctx, next) : next()));
  app.use(async (ctx) => {
    const account = Current.account as string;
    if (ctx.path === '/deposit') {
      const balance = balances.get(account) ?? 0; // a read-modify-write, safe inside the lock
      await new Promise((resolve) => setTimeout(resolve, 1));
      balances.set(account, balance + 10);
    }
    ctx.body = { user: Current.user?.name, account, balance: balances.get(account) ?? 0, requestId: Current.requestId };
  });
  return app;
}
