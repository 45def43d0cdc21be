import { keyedLock } from 'current-attributes/express';
import express from 'express';
import { createAccounts } from './accounts.js';

type Accounts = ReturnType<typeof createAccounts>;

export function createApp({
  locked,
  accounts = createAccounts({ alice: 0 }),
}: {
  locked: boolean;
  accounts?: Accounts;
}) {
  const app = express();
  const lock = keyedLock({ key: (req) => `account:${req.params.id}`, timeoutMs: 5000 });

  // A read-modify-write: without the lock, two deposits can read the same
  // balance and one of them is lost.
  app.post('/accounts/:id/deposit', ...(locked ? [lock] : []), async (req, res) => {
    const id = req.params.id as string;
    const balance = await accounts.balance(id);
    await accounts.setBalance(id, balance + 10);
    res.json({ balance: balance + 10 });
  });
  app.get('/accounts/:id', async (req, res) => {
    res.json({ balance: await accounts.balance(req.params.id as string) });
  });
  app.get('/lock/stats', (_req, res) => res.json(lock.stats));
  return app;
}
