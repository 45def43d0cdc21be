import { currentMiddleware, keyedLock } from 'current-attributes/hono';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { Current } from '../usage/current.js';
import { findUser } from '../usage/users.js';

// Node only: serve it with @hono/node-server, which hands the middleware Node's
// request and response as c.env.incoming and c.env.outgoing.
export function createApp(balances = new Map<string, number>()) {
  const app = new Hono();
  app.use(
    currentMiddleware({
      setup: (c) => {
        Current.requestId = c.req.header('x-request-id') ?? Current.requestId;
      },
    }),
  );
  app.use(async (c, next) => {
    Current.user = await findUser(c.req.header('authorization'));
    if (Current.user === undefined) throw new HTTPException(401, { message: 'unknown token' });
    await next();
  });
  app.onError((error, c) => {
    const status = error instanceof HTTPException ? error.status : 500;
    return c.json({ error: error.message, requestId: Current.requestId }, status); // still this request's scope
  });

  app.get('/me', (c) => c.json({ user: Current.user?.name, account: Current.account, requestId: Current.requestId }));
  // The key reads Current: deposits to one account run one at a time, others in parallel.
  const perAccount = keyedLock({ key: () => `account:${Current.account}`, timeoutMs: 5000 });
  app.post('/deposit', perAccount, async (c) => {
    const account = Current.account as string;
    const balance = balances.get(account) ?? 0; // a read-modify-write, safe inside the lock
    await new Promise((resolve) => setTimeout(resolve, 1));
    balances.set(account, balance + 10);
    return c.json({ account, balance: balance + 10 });
  });
  return app;
}
