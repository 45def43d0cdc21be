import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { currentMiddleware, globalLock } from 'current-attributes/hono';
import { Hono, type MiddlewareHandler } from 'hono';
import { contextStorage, getContext } from 'hono/context-storage';
import type { Strategy } from '../frameworks.js';
import { contextFor, type FrameworkContexts } from './contexts.js';
import { answer } from './keepers.js';
import { delayOf } from './request.js';

type Env = { Variables: { user?: string } };

const contexts: FrameworkContexts<MiddlewareHandler<Env>> = {
  name: 'Hono',
  lock: () => globalLock(),
  current: () => currentMiddleware(),
  als: (run) => (_c, next) => run(next),
  peer: () => ({
    before: contextStorage(),
    keeper: { write: (user) => getContext<Env>().set('user', user), read: () => getContext<Env>().var.user },
  }),
};

/**
 * The Hono 4 app of one strategy, for any server: @hono/node-server on Node,
 * `Bun.serve` or `Deno.serve` (bench/server.ts).
 *
 * @example
 * ```ts
 * Bun.serve({ port: 0, fetch: createHonoApp('current').fetch });
 * ```
 */
export function createHonoApp(strategy: Strategy): Hono<Env> {
  const { before, keeper } = contextFor(strategy, contexts);
  const app = new Hono<Env>();
  if (before) app.use(before);
  app.get('/', async (c) => c.text(await answer(keeper, c.req.header('x-user'), delayOf(c.req.url))));
  return app;
}

/**
 * The Hono 4 server of one strategy, on @hono/node-server.
 *
 * @example
 * ```ts
 * (await createHonoServer('peer')).listen(0, '127.0.0.1');
 * ```
 */
export async function createHonoServer(strategy: Strategy): Promise<Server> {
  return createAdaptorServer({ fetch: createHonoApp(strategy).fetch }) as Server;
}
