import { afterEach, describe, expect, test } from 'vitest';
import { listen, type RunningServer } from '../../test/support/listen.js';
import { createApp } from './app.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(balances?: Map<string, number>) {
  const app = createApp(balances);
  app.silent = true;
  server = await listen(app.callback());
  return server.url;
}

describe('the Koa example', () => {
  test('answers each user with their own attributes and the request id they sent', async () => {
    const url = await start();
    const [ann, bob] = await Promise.all([
      fetch(`${url}/me`, { headers: { authorization: 'token-ann', 'x-request-id': 'r-1' } }),
      fetch(`${url}/me`, { headers: { authorization: 'token-bob', 'x-request-id': 'r-2' } }),
    ]);
    expect(await ann.json()).toEqual({ user: 'Ann', account: 'acme', balance: 0, requestId: 'r-1' });
    expect(await bob.json()).toEqual({ user: 'Bob', account: 'globex', balance: 0, requestId: 'r-2' });
  });

  test('answers an unknown token 401 through ctx.throw, with the request id in the error handler', async () => {
    const url = await start();
    const response = await fetch(`${url}/me`, { headers: { authorization: 'nobody', 'x-request-id': 'r-3' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'unknown token', requestId: 'r-3' });
  });

  test('counts every one of 20 concurrent deposits to one account, under the lock keyed by Current.account', async () => {
    const balances = new Map<string, number>();
    const url = await start(balances);
    const deposit = (token: string) => fetch(`${url}/deposit`, { method: 'POST', headers: { authorization: token } });
    await Promise.all([...Array.from({ length: 20 }, () => deposit('token-ann')), deposit('token-bob')]);
    expect(Object.fromEntries(balances)).toEqual({ acme: 200, globex: 10 });
  });
});
