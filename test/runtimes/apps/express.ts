import type { Server } from 'node:http';
import { currentMiddleware, globalLock } from 'current-attributes/express';
import express from 'express';
import { Current, io, lockedWork, overlapCount } from './shared.js';

/** The same routes on Express 5 with its adapter and a `globalLock`. */
export function expressServer(): Server {
  const lock = globalLock();
  const app = express();
  app.use(
    currentMiddleware({
      setup: (req) => {
        Current.user = req.get('x-user');
      },
    }),
  );
  app.get('/read', async (_req, res) => {
    await io();
    res.send(Current.user ?? '');
  });
  app.get('/locked', lock, async (_req, res) => {
    res.json(await lockedWork());
  });
  app.get('/stats', (_req, res) => {
    res.json({ overlaps: overlapCount(), lock: lock.stats });
  });
  return app.listen(0, '127.0.0.1');
}
