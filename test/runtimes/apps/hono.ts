import { currentMiddleware, globalLock } from 'current-attributes/hono';
import { Hono } from 'hono';
import { Current, io, lockedWork, overlapCount } from './shared.js';

/**
 * The Hono app that runs unchanged on Node (@hono/node-server), Bun
 * (`Bun.serve`), Deno (`Deno.serve`) and workerd (`export default app`):
 * `current-attributes/hono` with a `globalLock`.
 */
const lock = globalLock();
export const app = new Hono();
app.use(
  currentMiddleware({
    setup: (c) => {
      Current.user = c.req.header('x-user');
    },
  }),
);
app.get('/read', async (c) => {
  await io();
  return c.text(Current.user ?? '');
});
app.get('/locked', lock, async (c) => c.json(await lockedWork()));
app.get('/stats', (c) => c.json({ overlaps: overlapCount(), lock: lock.stats }));

export default app;
