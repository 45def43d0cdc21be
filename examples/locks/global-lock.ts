import { globalLock } from 'current-attributes/express';
import express from 'express';

// Legacy code that keeps the request's user in a module-level variable.
let currentUser: string | undefined;

export function createApp() {
  const app = express();
  const lock = globalLock({ timeoutMs: 10_000, maxQueue: 1000 });
  app.use(lock); // one request at a time: the variable is safe, at a price
  app.get('/me', async (req, res) => {
    currentUser = req.get('x-user');
    await new Promise((resolve) => setTimeout(resolve, 10));
    res.json({ user: currentUser });
  });
  app.get('/lock/stats', (_req, res) => res.json(lock.stats));
  return app;
}
