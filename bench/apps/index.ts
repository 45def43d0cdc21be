import type { Server } from 'node:http';
import type { Framework, Strategy } from '../frameworks.js';

/**
 * Builds the server of `strategy` on `framework`, not yet listening. Only
 * that framework's module is loaded, so each server process holds one
 * framework and one way of keeping context.
 *
 * @example
 * ```ts
 * const server = await createBenchServer('hono', 'peer');
 * server.listen(0, '127.0.0.1');
 * ```
 */
export async function createBenchServer(framework: Framework, strategy: Strategy): Promise<Server> {
  switch (framework) {
    case 'express':
      return (await import('./express.js')).createExpressServer(strategy);
    case 'fastify':
      return (await import('./fastify.js')).createFastifyServer(strategy);
    case 'koa':
      return (await import('./koa.js')).createKoaServer(strategy);
    case 'hono':
      return (await import('./hono.js')).createHonoServer(strategy);
    case 'http':
      return (await import('./http.js')).createHttpServer(strategy);
    case 'nest':
      return (await import('./nest.js')).createNestServer(strategy);
  }
}
