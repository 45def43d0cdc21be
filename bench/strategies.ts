import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { defineCurrent } from 'current-attributes';
import { currentMiddleware, globalLock } from 'current-attributes/express';
import express, { type Request } from 'express';

/** The ways a handler can keep "the current user" that the benchmark compares. */
export const STRATEGIES = ['global', 'global-lock', 'current', 'als'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/**
 * The simulated IO of a request: `?delay=10` waits 10 ms; 0 still yields
 * once to the event loop, as any real IO would, so a module-level variable
 * has the chance to leak at every setting.
 */
function simulatedIo(req: Request): Promise<unknown> {
  const delayMs = Number(req.query.delay ?? 0);
  return delayMs > 0 ? sleep(delayMs) : nextTurn();
}

/**
 * Builds the app of one strategy. Every app answers `GET /user`: it takes
 * the user from the `x-user` header, keeps it the strategy's way, waits for
 * the simulated IO, and answers with the user it then sees.
 */
export function createStrategyApp(strategy: Strategy): express.Express {
  const app = express();
  app.disable('etag');
  switch (strategy) {
    case 'global':
    case 'global-lock': {
      let currentUser: string | undefined;
      if (strategy === 'global-lock') app.use(globalLock());
      app.get('/user', async (req, res) => {
        currentUser = req.get('x-user');
        await simulatedIo(req);
        res.send(currentUser);
      });
      return app;
    }
    case 'current': {
      const Current = defineCurrent(
        class {
          user?: string;
        },
      );
      app.use(currentMiddleware());
      app.get('/user', async (req, res) => {
        Current.user = req.get('x-user');
        await simulatedIo(req);
        res.send(Current.user);
      });
      return app;
    }
    case 'als': {
      // The floor: the least an AsyncLocalStorage middleware can do.
      const storage = new AsyncLocalStorage<{ user?: string }>();
      app.use((_req, _res, next) => storage.run({}, next));
      app.get('/user', async (req, res) => {
        const store = storage.getStore() as { user?: string };
        store.user = req.get('x-user');
        await simulatedIo(req);
        res.send(store.user);
      });
      return app;
    }
  }
}
