import type { HttpBindings } from '@hono/node-server';
import * as fastifyAdapter from 'current-attributes/fastify';
import * as honoAdapter from 'current-attributes/hono';
import * as koaAdapter from 'current-attributes/koa';
import type { onRequestHookHandler, preHandlerHookHandler, preValidationHookHandler } from 'fastify';
import Fastify from 'fastify';
import { Hono, type MiddlewareHandler } from 'hono';
import type { Middleware } from 'koa';
import { describe, expectTypeOf, test } from 'vitest';

// Checked by `npm run typecheck` (tsc); at run time these only confirm the file loads.
describe('the adapters’ types', () => {
  test('the Koa middleware and locks are Koa middleware', () => {
    expectTypeOf(koaAdapter.currentMiddleware()).toEqualTypeOf<Middleware>();
    expectTypeOf(koaAdapter.globalLock()).toExtend<Middleware>();
    expectTypeOf(koaAdapter.keyedLock).parameter(0).toHaveProperty('key');
  });

  test('a Fastify lock is a hook for onRequest, preValidation and preHandler', () => {
    const lock = fastifyAdapter.globalLock();
    expectTypeOf(lock).toExtend<onRequestHookHandler>();
    expectTypeOf(lock).toExtend<preValidationHookHandler>();
    expectTypeOf(lock).toExtend<preHandlerHookHandler>();
    const typeChecksOnly = async () => {
      const app = Fastify();
      await app.register(fastifyAdapter.fastifyCurrent, { setup: (request) => request.id });
      // @ts-expect-error: setup takes the request and the reply, not a string
      await app.register(fastifyAdapter.fastifyCurrent, { setup: (id: string) => id });
      app.get('/', { preHandler: [lock, fastifyAdapter.keyedLock({ key: (request) => request.url })] }, async () => '');
    };
    expectTypeOf(typeChecksOnly).toBeFunction();
  });

  test('the Hono middleware and locks fit apps with or without Node bindings declared', () => {
    expectTypeOf(honoAdapter.currentMiddleware()).toEqualTypeOf<MiddlewareHandler>();
    expectTypeOf(honoAdapter.globalLock()).toExtend<MiddlewareHandler>();
    new Hono().use(honoAdapter.currentMiddleware(), honoAdapter.globalLock());
    new Hono<{ Bindings: HttpBindings }>().use(honoAdapter.currentMiddleware(), honoAdapter.globalLock());
  });
});
