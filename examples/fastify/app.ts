import { fastifyCurrent, keyedLock } from 'current-attributes/fastify';
import Fastify from 'fastify';
import { Current } from '../usage/current.js';
import { findUser } from '../usage/users.js';

export async function createApp(balances = new Map<string, number>()) {
  const app = Fastify();
  // Registered first: every hook, handler and error handler after it sees the request's scope.
  await app.register(fastifyCurrent, {
    setup: (request) => {
      Current.requestId = request.headers['x-request-id']?.toString() ?? Current.requestId;
    },
  });
  app.addHook('preHandler', async (request, reply) => {
    Current.user = await findUser(request.headers.authorization);
    if (Current.user === undefined)
      return reply.code(401).send({ error: 'unknown token', requestId: Current.requestId });
  });
  app.setErrorHandler(async (_error, _request, reply) => {
    return reply.code(500).send({ error: 'failed', requestId: Current.requestId });
  });

  app.get('/me', async () => ({ user: Current.user?.name, account: Current.account, requestId: Current.requestId }));
  // A route-level preHandler runs after the app's: the key reads Current.account.
  const perAccount = keyedLock({ key: () => `account:${Current.account}`, timeoutMs: 5000 });
  app.post('/deposit', { preHandler: perAccount }, async () => {
    const account = Current.account as string;
    const balance = balances.get(account) ?? 0; // a read-modify-write, safe inside the lock
    await new Promise((resolve) => setTimeout(resolve, 1));
    balances.set(account, balance + 10);
    return { account, balance: balance + 10 };
  });
  return app;
}
