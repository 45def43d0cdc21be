import { Readable } from 'node:stream';
import { currentMiddleware, globalLock, type KoaLock, keyedLock, lockSignal } from 'current-attributes/koa';
import type { LockError } from 'current-attributes/lock';
import Koa, { type ParameterizedContext } from 'koa';
import { listen } from '../../support/listen.js';
import { type AdapterUnderTest, type Call, describeContract, type Rejection } from './contract.js';
import { describeKeepAliveContract } from './keep-alive.js';

function callOf(ctx: ParameterizedContext): Call {
  return {
    path: ctx.path,
    socket: ctx.req.socket,
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
    lockSignal: () => lockSignal(ctx.req),
    stream: (source) => {
      ctx.body = Readable.from(source());
    },
  };
}

/** `onRejected` in Koa's idiom: set `ctx.status` and `ctx.body`, or throw. */
function onRejectedFor(rejection: Rejection | undefined) {
  switch (rejection) {
    case undefined:
      return undefined;
    case 'throws':
      return (error: LockError) => {
        throw new Error(`rethrown ${error.name}`);
      };
    case 'rejects':
      return async (error: LockError) => {
        throw new Error(`rethrown ${error.name}`);
      };
    case 'answers-nothing':
      return async () => undefined;
    case 'sets-status':
      return (_error: LockError, ctx: ParameterizedContext) => {
        ctx.status = 429;
      };
  }
}

const koaAdapter: AdapterUnderTest = {
  name: 'Koa',
  endsScopeOfLeftWaiter: true,
  resumesAroundLock: true,
  async start({ lock: lockOptions, scope, aroundLock, route, onError }) {
    const { mountedTwice: twice, setup, ...scopeOptions } = scope ?? {};
    const app = new Koa();
    app.silent = true;
    app.use(currentMiddleware({ ...scopeOptions, setup: (ctx) => setup?.(ctx.path) }));
    if (twice !== undefined) {
      app.use((ctx, next) => {
        twice.between(callOf(ctx));
        return next();
      });
      app.use(currentMiddleware({ setup: (ctx) => twice.setup(ctx.path) }));
    }
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        ctx.status = 500;
        ctx.body = onError?.(error, callOf(ctx)) ?? 'failed';
      }
    });
    if (aroundLock !== undefined) {
      app.use(async (ctx, next) => {
        await aroundLock.before(callOf(ctx));
        try {
          await next();
        } finally {
          aroundLock.after(callOf(ctx));
        }
      });
    }
    let lock: KoaLock | undefined;
    if (lockOptions !== undefined) {
      const { key, onRejected, ...options } = lockOptions;
      const rejected = onRejectedFor(onRejected);
      const withRejected = rejected === undefined ? options : { ...options, onRejected: rejected };
      lock = key === undefined ? globalLock(withRejected) : keyedLock({ ...withRejected, key: (ctx) => key(ctx.path) });
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
describeKeepAliveContract(koaAdapter);
