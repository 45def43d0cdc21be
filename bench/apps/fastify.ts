import type { Server } from 'node:http';
import { fastifyRequestContext, requestContext } from '@fastify/request-context';
import { fastifyCurrent, globalLock } from 'current-attributes/fastify';
import Fastify from 'fastify';
import type { Strategy } from '../frameworks.js';
import { answer, currentAttribute, type Keeper, moduleVariable, rawStorage } from './keepers.js';
import { delayOf } from './request.js';

declare module '@fastify/request-context' {
  interface RequestContextData {
    user?: string;
  }
}

/** The Fastify 5 server of one strategy. */
export async function createFastifyServer(strategy: Strategy): Promise<Server> {
  const app = Fastify();
  let keeper: Keeper | undefined;
  switch (strategy) {
    case 'bare':
      break;
    case 'global':
      keeper = moduleVariable();
      break;
    case 'global-lock':
      app.addHook('preHandler', globalLock());
      keeper = moduleVariable();
      break;
    case 'current':
      await app.register(fastifyCurrent);
      keeper = currentAttribute();
      break;
    case 'als': {
      const storage = rawStorage();
      app.addHook('onRequest', (_request, _reply, done) => storage.run(done));
      keeper = storage;
      break;
    }
    case 'peer':
      await app.register(fastifyRequestContext);
      keeper = { write: (user) => requestContext.set('user', user), read: () => requestContext.get('user') };
      break;
  }
  app.get('/', async (request) => answer(keeper, request.headers['x-user']?.toString(), delayOf(request.url)));
  await app.ready();
  return app.server;
}
