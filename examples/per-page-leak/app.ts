import { defineCurrent } from 'current-attributes';
import { currentMiddleware, globalLock } from 'current-attributes/express';
import express from 'express';

/** Loads a page of items: the await in the middle of the request. */
export type LoadItems = (page: number) => Promise<unknown>;

const defaultLoad: LoadItems = () => new Promise((resolve) => setTimeout(resolve, 5));

/** The bug, Rails' `cattr_accessor :per_page` in Node: one value for the whole process. */
export function createLeakyApp(loadItems = defaultLoad) {
  let perPage = 25;
  const app = express();
  app.get('/items', async (req, res) => {
    perPage = Number(req.query.per_page ?? 25);
    await loadItems(1);
    res.json({ perPage });
  });
  return app;
}

/** The fix: one value per request. */
export function createCurrentApp(loadItems = defaultLoad) {
  const Current = defineCurrent(
    class {
      perPage = 25;
    },
  );
  const app = express();
  app.use(currentMiddleware());
  app.get('/items', async (req, res) => {
    Current.perPage = Number(req.query.per_page ?? 25);
    await loadItems(1);
    res.json({ perPage: Current.perPage });
  });
  return app;
}

/** The other "fix": the leaky handler, one request at a time. */
export function createLockedApp(loadItems = defaultLoad) {
  const app = express();
  app.use(globalLock());
  app.use(createLeakyApp(loadItems));
  return app;
}
