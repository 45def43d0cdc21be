import { randomUUID } from 'node:crypto';
import { getRequestListener } from '@hono/node-server';
import { defineCurrent, snapshot } from 'current-attributes';
import * as expressAdapter from 'current-attributes/express';
import { fastifyCurrent } from 'current-attributes/fastify';
import * as honoAdapter from 'current-attributes/hono';
import { withCurrent } from 'current-attributes/http';
import * as koaAdapter from 'current-attributes/koa';
import express from 'express';
import express4 from 'express4';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { afterEach, describe, expect, test } from 'vitest';
import { listen, type RunningServer } from '../support/listen.js';
import { collectWarnings } from '../support/warnings.js';

const CODE = 'CURRENT_ATTRIBUTES_READ_OUTSIDE_SCOPE';
const atStartUp = snapshot();

type Reader = { readonly requestId: string };

/** How one framework serves `GET /` answering `Current.requestId`, with its adapter where it should be, or not. */
interface Framework {
  readonly name: string;
  /** The adapter mounted after the code that reads (absent where the framework has no order: node:http). */
  readonly misplaced?: (Current: Reader) => Promise<RunningServer>;
  readonly forgotten: (Current: Reader) => Promise<RunningServer>;
  readonly mounted: (Current: Reader, read: () => unknown) => Promise<RunningServer>;
}

function expressLike(name: string, make: typeof express): Framework {
  return {
    name,
    misplaced: (Current) => {
      const app = make();
      app.get('/', (_req, res) => {
        res.send(Current.requestId);
      });
      app.use(expressAdapter.currentMiddleware());
      return listen(app);
    },
    forgotten: (Current) => {
      const app = make();
      app.get('/', (_req, res) => {
        res.send(Current.requestId);
      });
      return listen(app);
    },
    mounted: (Current, read) => {
      const app = make();
      app.use(expressAdapter.currentMiddleware());
      app.get('/', (_req, res) => {
        read();
        res.send(Current.requestId);
      });
      return listen(app);
    },
  };
}

function koa(
  withAdapter: 'misplaced' | 'forgotten' | 'mounted',
  Current: Reader,
  read: () => unknown = () => undefined,
) {
  const app = new Koa();
  if (withAdapter === 'mounted') app.use(koaAdapter.currentMiddleware());
  app.use(async (ctx, next) => {
    read();
    ctx.set('x-request-id', Current.requestId);
    await next();
  });
  if (withAdapter === 'misplaced') app.use(koaAdapter.currentMiddleware());
  app.use((ctx) => {
    ctx.body = ctx.response.get('x-request-id');
  });
  return listen(app.callback());
}

function hono(
  withAdapter: 'misplaced' | 'forgotten' | 'mounted',
  Current: Reader,
  read: () => unknown = () => undefined,
) {
  const app = new Hono();
  if (withAdapter === 'mounted') app.use(honoAdapter.currentMiddleware());
  app.use(async (c, next) => {
    read();
    c.header('x-request-id', Current.requestId);
    await next();
  });
  if (withAdapter === 'misplaced') app.use(honoAdapter.currentMiddleware());
  app.get('/', (c) => c.text(c.res.headers.get('x-request-id') ?? ''));
  return listen(getRequestListener(app.fetch));
}

async function fastify(
  withAdapter: 'misplaced' | 'forgotten' | 'mounted',
  Current: Reader,
  read: () => unknown = () => undefined,
) {
  const app = Fastify();
  if (withAdapter === 'mounted') await app.register(fastifyCurrent);
  let seen = '';
  app.addHook('onRequest', async () => {
    read();
    seen = Current.requestId;
  });
  if (withAdapter === 'misplaced') await app.register(fastifyCurrent);
  app.get('/', async () => seen);
  await app.ready();
  const server = await listen((req, res) => app.routing(req, res));
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await app.close();
    },
  };
}

const FRAMEWORKS: Framework[] = [
  expressLike('Express 5', express),
  expressLike('Express 4', express4 as unknown as typeof express),
  {
    name: 'node:http',
    forgotten: (Current) => listen((_req, res) => res.end(Current.requestId)),
    mounted: (Current, read) =>
      listen(
        withCurrent((_req, res) => {
          read();
          res.end(Current.requestId);
        }),
      ),
  },
  {
    name: 'Koa',
    misplaced: (Current) => koa('misplaced', Current),
    forgotten: (Current) => koa('forgotten', Current),
    mounted: (Current, read) => koa('mounted', Current, read),
  },
  {
    name: 'Hono',
    misplaced: (Current) => hono('misplaced', Current),
    forgotten: (Current) => hono('forgotten', Current),
    mounted: (Current, read) => hono('mounted', Current, read),
  },
  {
    name: 'Fastify',
    misplaced: (Current) => fastify('misplaced', Current),
    forgotten: (Current) => fastify('forgotten', Current),
    mounted: (Current, read) => fastify('mounted', Current, read),
  },
];

/** A definition of its own for each test: each warns at most once. */
function defineAttributes(name: string) {
  class Attributes {
    requestId = randomUUID();
  }
  return defineCurrent(Attributes, { name });
}

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function idsOf(requests: number, together = false): Promise<string[]> {
  const get = async () => (await fetch(`${(server as RunningServer).url}/`)).text();
  if (together) return Promise.all(Array.from({ length: requests }, get));
  const ids: string[] = [];
  for (let request = 0; request < requests; request += 1) ids.push(await get());
  return ids;
}

describe.each(FRAMEWORKS)('$name', (framework) => {
  const cases = [
    ['forgotten', framework.forgotten],
    ...(framework.misplaced ? [['mounted after the code that reads', framework.misplaced] as const] : []),
  ] as const;

  test.each(cases)(
    'with the adapter %s, warns once that every request reads one default, naming the attribute',
    async (_case, start) => {
      const Current = defineAttributes(`Unscoped${framework.name.replace(/\W/g, '')}`);
      const warnings = collectWarnings(CODE);
      server = await start(Current);
      expect(new Set(await idsOf(3)).size).toBe(1);
      const messages = await warnings.stop();
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(
        /^Unscoped\w+\.requestId was read outside any scope while the process was serving an HTTP request/,
      );
    },
  );

  test('with the adapter mounted first, stays silent, also after start-up code read the defaults and beside work scheduled at start-up', async () => {
    const Current = defineAttributes(`Scoped${framework.name.replace(/\W/g, '')}`);
    const warnings = collectWarnings(CODE);
    const defaultId = Current.requestId;
    server = await framework.mounted(Current, () => atStartUp(() => Current.requestId));
    const ids = await idsOf(5, true);
    expect(new Set(ids).size).toBe(5);
    expect(ids).not.toContain(defaultId);
    expect(await warnings.stop()).toEqual([]);
  });
});
