import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { defineCurrent } from 'current-attributes';
import { currentMiddleware } from 'current-attributes/express';
import express from 'express';

interface User {
  id: number;
  name: string;
}

// Stands in for your database: answers after an await, as a query would.
const users = new Map<string, User>([
  ['token-ann', { id: 1, name: 'Ann' }],
  ['token-bob', { id: 2, name: 'Bob' }],
]);
// And 100 more (token-1 is user-1), enough for the leak probe's 50 connections: docs/probe.md.
for (let i = 1; i <= 100; i++) users.set(`token-${i}`, { id: i + 2, name: `user-${i}` });
async function findUser(token: string | undefined): Promise<User | undefined> {
  await new Promise((resolve) => setTimeout(resolve, 10));
  return token === undefined ? undefined : users.get(token);
}

// One request's state: fields are attributes, initializers are defaults.
class Attributes {
  user?: User;
  requestId = randomUUID();
}
const Current = defineCurrent(Attributes);

const app = express();
app.use(currentMiddleware()); // a fresh Current for every request
app.use(async (req, _res, next) => {
  Current.user = await findUser(req.get('authorization'));
  next();
});
app.get('/me', async (_req, res) => {
  await new Promise((resolve) => setTimeout(resolve, 10)); // other requests run meanwhile
  res.json({ user: Current.user?.name ?? null, requestId: Current.requestId });
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Try: curl -H 'authorization: token-ann' http://127.0.0.1:${port}/me`);
});
