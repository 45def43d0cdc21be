/**
 * Serves one app of this directory on the runtime that runs this file, on a
 * free port of 127.0.0.1, and prints `listening <port>` once it listens:
 *
 *   bun test/runtimes/apps/serve.ts hono|hono-node-server|http|express|koa|fastify
 *
 * `hono` is the runtime's own server: `Bun.serve`, `Deno.serve`, or
 * @hono/node-server on Node; `hono-node-server` is @hono/node-server
 * everywhere (Node's http module, through the runtime's compatibility).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const runtime = globalThis as unknown as {
  Bun?: { serve(options: object): { port: number } };
  Deno?: { serve(options: object, handler: unknown): unknown };
};
const [name = ''] = process.argv.slice(2);
const ready = (port: number) => console.log(`listening ${port}`);

async function nodeServer(): Promise<Server | undefined> {
  switch (name) {
    case 'hono': {
      if (runtime.Bun !== undefined || runtime.Deno !== undefined) return undefined;
      return honoOnNodeServer();
    }
    case 'hono-node-server':
      return honoOnNodeServer();
    case 'http':
      return (await import('./http.js')).httpServer();
    case 'express':
      return (await import('./express.js')).expressServer();
    case 'koa':
      return (await import('./koa.js')).koaServer();
    case 'fastify':
      return (await import('./fastify.js')).fastifyServer();
    default:
      throw new Error(`Unknown app ${JSON.stringify(name)}: hono, hono-node-server, http, express, koa or fastify.`);
  }
}

async function honoOnNodeServer(): Promise<Server> {
  const [{ createAdaptorServer }, { app }] = await Promise.all([import('@hono/node-server'), import('./hono.js')]);
  return createAdaptorServer({ fetch: app.fetch }) as Server;
}

const server = await nodeServer();
if (server !== undefined) {
  if (!server.listening) server.listen(0, '127.0.0.1');
  server.once('listening', () => ready((server.address() as AddressInfo).port));
  if (server.listening) ready((server.address() as AddressInfo).port);
} else {
  const { app } = await import('./hono.js');
  if (runtime.Bun !== undefined) {
    ready(runtime.Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: app.fetch }).port);
  } else {
    runtime.Deno?.serve(
      { port: 0, hostname: '127.0.0.1', onListen: ({ port }: { port: number }) => ready(port) },
      app.fetch,
    );
  }
}
