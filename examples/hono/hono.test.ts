import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterEach, describe, expect, test } from 'vitest';
import { createApp } from './app.js';

let server: ServerType | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function start(balances?: Map<string, number>) {
  const started = serve({ fetch: createApp(balances).fetch, port: 0, hostname: '127.0.0.1' });
  server = started;
  await new Promise((resolve) => started.once('listening', resolve));
  return `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
}

describe('the Hono example', () => {
  test('answers each user with their own attributes and the request id they sent', async () => {
    const url = await start();
    const [ann, bob] = await Promise.all([
      fetch(`${url}/me`, { headers: { authorization: 'token-ann', 'x-request-id': 'r-1' } }),
      fetch(`${url}/me`, { headers: { authorization: 'token-bob', 'x-request-id': 'r-2' } }),
    ]);
    expect(await ann.json()).toEqual({ user: 'Ann', account: 'acme', requestId: 'r-1' });
    expect(await bob.json()).toEqual({ user: 'Bob', account: 'globex', requestId: 'r-2' });
  });

  test('answers an unknown token 401 through app.onError, with the request id', async () => {
    const url = await start();
    const response = await fetch(`${url}/me`, { headers: { authorization: 'nobody', 'x-request-id': 'r-3' } });
    expect([response.status, await response.json()]).toEqual([401, { error: 'unknown token', requestId: 'r-3' }]);
  });

  test('counts every one of 20 concurrent deposits to one account, under the lock keyed by Current.account', async () => {
    const balances = new Map<string, number>();
    const url = await start(balances);
    const deposit = (token: string) => fetch(`${url}/deposit`, { method: 'POST', headers: { authorization: token } });
    await Promise.all([...Array.from({ length: 20 }, () => deposit('token-ann')), deposit('token-bob')]);
    expect(Object.fromEntries(balances)).toEqual({ acme: 200, globex: 10 });
  });
});
