import { randomUUID } from 'node:crypto';
import { defineCurrent } from 'current-attributes';
import { currentMiddleware } from 'current-attributes/express';
import express from 'express';

const users = new Map([
  ['token-ann', { id: 1, name: 'Ann' }],
  ['token-bob', { id: 2, name: 'Bob' }],
]);
async function findUser(token) {
  await new Promise((resolve) => setTimeout(resolve, 10));
  return token === undefined ? undefined : users.get(token);
}

// A field without an initializer is an attribute: JavaScript defines it, set to undefined.
class Attributes {
  /** @type {{ id: number, name: string } | undefined} */
  user;
  requestId = randomUUID();
}
const Current = defineCurrent(Attributes);

const app = express();
app.use(currentMiddleware());
app.use(async (req, _res, next) => {
  Current.user = await findUser(req.get('authorization'));
  next();
});
app.get('/me', async (_req, res) => {
  await new Promise((resolve) => setTimeout(resolve, 10));
  res.json({ user: Current.user?.name ?? null, requestId: Current.requestId });
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`Try: curl -H 'authorization: token-ann' http://127.0.0.1:${server.address().port}/me`);
});
