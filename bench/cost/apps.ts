import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Mutex } from 'async-mutex';
import { defineCurrent } from 'current-attributes';
import { currentMiddleware, globalLock, keyedLock } from 'current-attributes/express';
import express, { type Request, type RequestHandler, type Response } from 'express';
import httpContext from 'express-http-context';
import { otelKeeper } from './otel-keepers.js';

/**
 * The Express servers whose cost per request is compared: the same Express 5
 * app (the user set in a middleware, one await, the user read in the
 * handler) with each way of keeping request context, and each global lock.
 */
export const EXPRESS_COST_APPS = [
  'bare',
  'als',
  'express-http-context',
  'current',
  'current-setup',
  'async-mutex',
  'global-lock',
  'keyed-lock',
  'otel',
  'otel-current',
  'otel-current-bridge',
] as const;
type ExpressCostApp = (typeof EXPRESS_COST_APPS)[number];

/**
 * Each other adapter against its own framework's app with a raw
 * AsyncLocalStorage: the servers of `npm run bench` (bench/apps/), named
 * `<framework>:<strategy>` as bench/server.ts takes them.
 */
export const FRAMEWORK_COST_APPS = [
  'fastify:als',
  'fastify:current',
  'koa:als',
  'koa:current',
  'hono:als',
  'hono:current',
  'http:als',
  'http:current',
  'nest:als',
  'nest:current',
] as const;

/** Every app `npm run bench:cost` can count, in the order it counts them. */
export const COST_APPS = [...EXPRESS_COST_APPS, ...FRAMEWORK_COST_APPS] as const;
export type CostApp = (typeof COST_APPS)[number];

/**
 * The app `app` is compared with: raw AsyncLocalStorage on the same framework.
 *
 * @example
 * ```ts
 * baselineOf('current'); // 'als'
 * baselineOf('koa:current'); // 'koa:als'
 * ```
 */
export function baselineOf(app: CostApp): CostApp {
  const framework = app.indexOf(':');
  return framework === -1 ? 'als' : (`${app.slice(0, framework)}:als` as CostApp);
}

/** Whether `app` is one of bench/apps/'s framework servers rather than an Express cost app. */
export function isFrameworkApp(app: CostApp): app is (typeof FRAMEWORK_COST_APPS)[number] {
  return app.includes(':');
}

/** How an app keeps the user: where the middleware puts it and where the handler reads it. */
interface Keeper {
  readonly middleware: RequestHandler[];
  write(req: Request, res: Response): void;
  read(req: Request, res: Response): unknown;
}

const userOf = (req: Request) => req.get('x-user');

function keeperFor(app: ExpressCostApp): Keeper {
  switch (app) {
    case 'bare':
    case 'async-mutex':
    case 'global-lock':
    case 'keyed-lock': {
      return {
        middleware: [],
        write: (req, res) => {
          res.locals.user = userOf(req);
        },
        read: (_req, res) => res.locals.user,
      };
    }
    case 'als': {
      const storage = new AsyncLocalStorage<{ user?: unknown }>();
      return {
        middleware: [(_req, _res, next) => storage.run({}, next)],
        write: (req) => {
          (storage.getStore() as { user?: unknown }).user = userOf(req);
        },
        read: () => storage.getStore()?.user,
      };
    }
    case 'otel':
    case 'otel-current':
    case 'otel-current-bridge':
      return otelKeeper(app);
    case 'express-http-context':
      return {
        middleware: [httpContext.middleware],
        write: (req) => httpContext.set('user', userOf(req)),
        read: () => httpContext.get('user'),
      };
    case 'current':
    case 'current-setup': {
      const Current = defineCurrent(
        class {
          user?: unknown;
        },
      );
      const write = (req: Request) => {
        Current.user = userOf(req);
      };
      return {
        middleware: [app === 'current' ? currentMiddleware() : currentMiddleware({ setup: write })],
        write: app === 'current' ? write : () => undefined,
        read: () => Current.user,
      };
    }
  }
}

function lockFor(app: ExpressCostApp): RequestHandler[] {
  if (app === 'global-lock') return [globalLock()];
  if (app === 'keyed-lock') return [keyedLock({ key: () => 'one' })];
  if (app !== 'async-mutex') return [];
  // The plain lock middleware people write with async-mutex: release when the response closes.
  const mutex = new Mutex();
  return [
    (_req, res, next) => {
      mutex.acquire().then((release) => {
        res.on('close', release);
        next();
      }, next);
    },
  ];
}

/** Builds the Express app of one cost comparison. */
export function createCostApp(app: ExpressCostApp): express.Express {
  const keeper = keeperFor(app);
  const server = express();
  server.disable('etag');
  server.disable('x-powered-by');
  for (const middleware of [...keeper.middleware, ...lockFor(app)]) server.use(middleware);
  server.use((req, res, next) => {
    keeper.write(req, res);
    next();
  });
  server.get('/', async (req, res) => {
    await nextTurn();
    res.send(String(keeper.read(req, res)));
  });
  return server;
}
