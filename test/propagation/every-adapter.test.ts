import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { currentMiddleware as expressCurrent } from 'current-attributes/express';
import { fastifyCurrent } from 'current-attributes/fastify';
import { currentMiddleware as honoCurrent } from 'current-attributes/hono';
import { withCurrent } from 'current-attributes/http';
import { currentMiddleware as koaCurrent } from 'current-attributes/koa';
import { createPropagator, type Propagator } from 'current-attributes/propagation';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { describe, expect, test } from 'vitest';
import { listen } from '../support/listen.js';
import { Traveling } from './support.js';

/** What the handler answers: the tenant a trusted peer sent, or null. */
const answer = () => JSON.stringify({ tenant: Traveling.tenant ?? null });

type Start = (propagator: Propagator) => Promise<{ url: string; close(): Promise<void> }>;

const adapters: Record<string, Start> = {
  express: async (propagator) => {
    const app = express();
    app.use(expressCurrent({ propagator }));
    app.get('/', (_req, res) => void res.type('json').send(answer()));
    return listen(app);
  },
  'node:http': (propagator) => listen(withCurrent((_req, res) => res.end(answer()), { propagator })),
  koa: async (propagator) => {
    const app = new Koa();
    app.use(koaCurrent({ propagator }));
    app.use((ctx) => {
      ctx.body = answer();
    });
    return listen(app.callback());
  },
  fastify: async (propagator) => {
    const app = Fastify();
    await app.register(fastifyCurrent, { propagator });
    app.get('/', async () => answer());
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
  },
  hono: async (propagator) => {
    const app = new Hono();
    app.use(honoCurrent({ propagator }));
    app.get('/', (c) => c.body(answer()));
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
    });
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
  },
};

function get(url: string, localAddress: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { localAddress, headers: { baggage: 'tenant=acme' } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    request.on('error', reject);
    request.end();
  });
}

describe.each(Object.entries(adapters))('%s', (_name, start) => {
  test('takes traveling values from a trusted peer at the start of the request, and ignores an untrusted one', async () => {
    const propagator = createPropagator({ trust: { peers: ['127.0.0.1'] }, currents: [Traveling] });
    const server = await start(propagator);
    try {
      expect(JSON.parse(await get(server.url, '127.0.0.1'))).toEqual({ tenant: 'acme' });
      expect(JSON.parse(await get(server.url, '127.0.0.2'))).toEqual({ tenant: null });
      expect(propagator.stats).toMatchObject({ accepted: 1, rejected: { untrustedPeer: 1 } });
    } finally {
      await server.close();
    }
  });
});
