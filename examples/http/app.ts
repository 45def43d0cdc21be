import type { IncomingMessage, ServerResponse } from 'node:http';
import { keyedLock, withCurrent } from 'current-attributes/http';
import { Current } from '../usage/current.js';
import { findUser } from '../usage/users.js';

function send(res: ServerResponse, status: number, body: object) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** A plain node:http handler, for `http.createServer`: no framework, the same Current. */
export function createHandler(balances = new Map<string, number>()) {
  // The key reads Current: deposits to one account run one at a time, others in parallel.
  const perAccount = keyedLock({ key: () => `account:${Current.account}`, timeoutMs: 5000 });
  const deposit = perAccount(async (_req: IncomingMessage, res: ServerResponse) => {
    const account = Current.account as string;
    const balance = balances.get(account) ?? 0; // a read-modify-write, safe inside the lock
    await new Promise((resolve) => setTimeout(resolve, 1));
    balances.set(account, balance + 10);
    send(res, 200, { account, balance: balance + 10 });
  });

  return withCurrent(
    async (req, res) => {
      Current.user = await findUser(req.headers.authorization);
      if (Current.user === undefined) return send(res, 401, { error: 'unknown token', requestId: Current.requestId });
      if (req.method === 'POST' && req.url === '/deposit') return deposit(req, res);
      send(res, 200, { user: Current.user.name, account: Current.account, requestId: Current.requestId });
    },
    {
      setup: (req) => {
        Current.requestId = req.headers['x-request-id']?.toString() ?? Current.requestId;
      },
    },
  );
}
