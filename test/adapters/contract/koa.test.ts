import { currentMiddleware, globalLock, type KoaLock, keyedLock } from 'current-attributes/koa';
import Koa, { type ParameterizedContext } from 'koa';
import { listen } from '../../support/listen.js';
import { type AdapterUnderTest, type Call, describeContract } from './contract.js';

function callOf(ctx: ParameterizedContext): Call {
  return {
    path: ctx.path,
    header: (name) => ctx.get(name) || undefined,
    // Koa writes `ctx.body` only once the chain settled: a response that
    // starts before the handler ends bypasses it, as Koa documents.
    write: (text) => {
      ctx.respond = false;
      ctx.res.statusCode = 200;
      ctx.res.write(text);
    },
    end: (text) => {
      if (ctx.respond === false) ctx.res.end(text);
      else ctx.body = text;
    },
    onFinish: (listener) => ctx.res.on('finish', listener),
    onClose: (listener) => ctx.res.on('close', listener),
  };
}

const koaAdapter: AdapterUnderTest = {
  name: 'Koa',
  endsScopeOfLeftWaiter: true,
  async start({ lock: lockOptions, scope, route, onError }) {
    const app = new Koa();
    app.silent = true;
    app.use(currentMiddleware({ ...scope, setup: (ctx) => scope?.setup?.(ctx.path) }));
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        ctx.status = 500;
        ctx.body = onError?.(error, callOf(ctx)) ?? 'failed';
      }
    });
    let lock: KoaLock | undefined;
    if (lockOptions !== undefined) {
      const { key, ...options } = lockOptions;
      lock = key === undefined ? globalLock(options) : keyedLock({ ...options, key: (ctx) => key(ctx.path) });
      app.use(lock);
    }
    app.use(async (ctx) => {
      await route(callOf(ctx));
    });
    const server = await listen(app.callback());
    return { ...server, lockStats: () => (lock as KoaLock).stats };
  },
};

describeContract(koaAdapter);
