import type { Server } from 'node:http';
import { fastifyCurrent, globalLock } from 'current-attributes/fastify';
import Fastify from 'fastify';
import { Current, io, lockedWork, overlapCount } from './shared.js';

/** The same routes on Fastify 5 with its plugin and a `globalLock`. */
export async function fastifyServer(): Promise<Server> {
  const app = Fastify();
  await app.register(fastifyCurrent, {
    setup: (request) => {
      Current.user = request.headers['x-user'] as string | undefined;
    },
  });
  const lock = globalLock();
  app.get('/read', async () => {
    await io();
    return Current.user ?? '';
  });
  app.get('/locked', { preHandler: lock }, async () => lockedWork());
  app.get('/stats', async () => ({ overlaps: overlapCount(), lock: lock.stats }));
  await app.ready();
  return app.server;
}
