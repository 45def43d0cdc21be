import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LockMiddlewareStats as RequestLockStats } from 'current-attributes/express';
import type { Framework } from '../frameworks.js';
import { Current, SoakProbe } from './probe.js';
import { type Exchange, handle } from './work.js';

/** The frameworks the soak drives: every benchmarked one but NestJS, whose soak server is not written yet. */
export const SOAK_FRAMEWORKS = ['express', 'fastify', 'koa', 'hono', 'http'] as const satisfies readonly Framework[];

/** One of {@link SOAK_FRAMEWORKS}. */
export type SoakFramework = (typeof SOAK_FRAMEWORKS)[number];

/** A soak server, not yet listening, with its lock's counters and its probe. */
export interface SoakApp {
  readonly server: Server;
  readonly lockStats: () => RequestLockStats;
  readonly probe: SoakProbe;
}

const userOf = (header: string | string[] | undefined) => (typeof header === 'string' ? header : 'none');

/** Node's own response, for Express and node:http: a body stream is piped into it. */
function nodeExchange(req: IncomingMessage, res: ServerResponse, path: string): Exchange {
  return {
    path,
    user: userOf(req.headers['x-user']),
    write: (text) => res.write(text),
    end: (text) => res.end(text),
    stream: (source) => {
      pipeline(Readable.from(source()), res).catch(() => undefined);
    },
  };
}

/**
 * The soak server of `framework`: its scope middleware (setting `Current.user`
 * from `x-user`), one `globalLock()` in front of every route, and the route
 * of `handle`. Each framework only loads its own modules.
 */
export async function createSoakApp(framework: SoakFramework): Promise<SoakApp> {
  let stats: () => RequestLockStats = () => {
    throw new Error('the lock is not made yet');
  };
  const probe = new SoakProbe();
  const setUser = (header: string | string[] | undefined) => {
    Current.user = userOf(header);
  };
  switch (framework) {
    case 'express': {
      const { default: express } = await import('express');
      const { currentMiddleware, globalLock } = await import('current-attributes/express');
      const lock = globalLock();
      stats = () => lock.stats;
      const app = express();
      app.use(currentMiddleware({ setup: (req) => setUser(req.headers['x-user']) }), lock);
      app.use((req, res) => handle(probe, nodeExchange(req, res, req.path)));
      probe.watch(() => stats().active);
      return { server: createServer(app), lockStats: stats, probe };
    }
    case 'http': {
      const { globalLock, withCurrent } = await import('current-attributes/http');
      const lock = globalLock();
      stats = () => lock.stats;
      const handler = lock((req, res) => handle(probe, nodeExchange(req, res, (req.url ?? '/').split('?')[0] ?? '/')));
      probe.watch(() => stats().active);
      return {
        server: createServer(withCurrent(handler, { setup: (req) => setUser(req.headers['x-user']) })),
        lockStats: stats,
        probe,
      };
    }
    case 'koa': {
      const { default: Koa } = await import('koa');
      const { currentMiddleware, globalLock } = await import('current-attributes/koa');
      const lock = globalLock();
      stats = () => lock.stats;
      const app = new Koa();
      app.silent = true;
      app.use(currentMiddleware({ setup: (ctx) => setUser(ctx.get('x-user')) }));
      app.use(lock);
      app.use((ctx) =>
        handle(probe, {
          path: ctx.path,
          user: userOf(ctx.get('x-user')),
          write: (text) => {
            ctx.respond = false;
            ctx.res.write(text);
          },
          end: (text) => {
            if (ctx.respond === false) ctx.res.end(text);
            else ctx.body = text;
          },
          stream: (source) => {
            ctx.body = Readable.from(source());
          },
        }),
      );
      probe.watch(() => stats().active);
      return { server: createServer(app.callback()), lockStats: stats, probe };
    }
    case 'fastify': {
      const { default: Fastify } = await import('fastify');
      const { fastifyCurrent, globalLock } = await import('current-attributes/fastify');
      const lock = globalLock();
      stats = () => lock.stats;
      const app = Fastify();
      await app.register(fastifyCurrent, { setup: (request) => setUser(request.headers['x-user']) });
      app.get('/*', { preHandler: lock }, async (request, reply) => {
        await handle(probe, {
          path: request.url.split('?')[0] ?? '/',
          user: userOf(request.headers['x-user']),
          write: (text) => {
            reply.hijack();
            reply.raw.write(text);
          },
          end: (text) => {
            if (reply.raw.headersSent) reply.raw.end(text);
            else reply.send(text);
          },
          stream: (source) => {
            reply.send(Readable.from(source()));
          },
        });
        return reply;
      });
      await app.ready();
      probe.watch(() => stats().active);
      return { server: createServer((req, res) => app.routing(req, res)), lockStats: stats, probe };
    }
    case 'hono': {
      const { Hono } = await import('hono');
      const { getRequestListener } = await import('@hono/node-server');
      const { RESPONSE_ALREADY_SENT } = await import('@hono/node-server/utils/response');
      const { currentMiddleware, globalLock, stream } = await import('current-attributes/hono');
      const lock = globalLock();
      stats = () => lock.stats;
      const app = new Hono<{ Bindings: { outgoing: ServerResponse } }>();
      app.use(currentMiddleware({ setup: (c) => setUser(c.req.header('x-user')) }), lock);
      app.get('*', async (c) => {
        let answer: Response | undefined;
        await handle(probe, {
          path: c.req.path,
          user: userOf(c.req.header('x-user')),
          write: (text) => {
            c.env.outgoing.writeHead(200);
            c.env.outgoing.write(text);
            answer = RESPONSE_ALREADY_SENT;
          },
          end: (text) => {
            if (answer === RESPONSE_ALREADY_SENT) c.env.outgoing.end(text);
            else answer = c.text(text);
          },
          stream: (source) => {
            answer = stream(c, async (writer) => {
              for await (const chunk of source()) await writer.write(chunk);
            });
          },
        });
        return answer ?? c.text('no answer', 500);
      });
      probe.watch(() => stats().active);
      return { server: createServer(getRequestListener(app.fetch)), lockStats: stats, probe };
    }
  }
}
