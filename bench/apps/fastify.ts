import type { Server } from 'node:http';
import { fastifyRequestContext, requestContext } from '@fastify/request-context';
import { fastifyCurrent, globalLock } from 'current-attributes/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Strategy } from '../frameworks.js';
import { contextFor, type FrameworkContexts } from './contexts.js';
import { answer } from './keepers.js';
import { delayOf } from './request.js';

declare module '@fastify/request-context' {
  interface RequestContextData {
    user?: string;
  }
}

// Fastify takes a context as a plugin or a hook, so each is a registration on the app.
const contexts: FrameworkContexts<(app: FastifyInstance) => unknown> = {
  name: 'Fastify',
  lock: () => (app) => app.addHook('preHandler', globalLock()),
  current: () => (app) => app.register(fastifyCurrent),
  als: (run) => (app) => app.addHook('onRequest', (_request, _reply, done) => run(done)),
  peer: () => ({
    before: (app) => app.register(fastifyRequestContext),
    keeper: { write: (user) => requestContext.set('user', user), read: () => requestContext.get('user') },
  }),
};

/**
 * The Fastify 5 server of one strategy.
 *
 * @example
 * ```ts
 * (await createFastifyServer('current')).listen(0, '127.0.0.1');
 * ```
 */
export async function createFastifyServer(strategy: Strategy): Promise<Server> {
  const { before, keeper } = contextFor(strategy, contexts);
  const app = Fastify();
  if (before) await before(app);
  app.get('/', async (request) => answer(keeper, request.headers['x-user']?.toString(), delayOf(request.url)));
  await app.ready();
  return app.server;
}
