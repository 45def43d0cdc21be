import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../examples/usage/app.js';
import { listen, type RunningServer } from '../support/listen.js';

let server: RunningServer;
beforeAll(async () => {
  server = await listen(createApp());
});
afterAll(() => server.close());

describe('the usage example', () => {
  test('answers each user with their own attributes and the request id they sent', async () => {
    const [ann, bob] = await Promise.all([
      fetch(`${server.url}/me`, { headers: { authorization: 'token-ann', 'x-request-id': 'r-1' } }),
      fetch(`${server.url}/me`, { headers: { authorization: 'token-bob', 'x-request-id': 'r-2' } }),
    ]);
    expect(await ann.json()).toEqual({ user: 'Ann', account: 'acme', requestId: 'r-1' });
    expect(await bob.json()).toEqual({ user: 'Bob', account: 'globex', requestId: 'r-2' });
  });

  test('generates a request id when none is sent', async () => {
    const body = (await (await fetch(`${server.url}/me`)).json()) as { requestId: string };
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('lets admins in, with a scoped locale override that ends with the callback', async () => {
    const admin = await fetch(`${server.url}/admin`, { headers: { authorization: 'token-ann' } });
    expect(await admin.json()).toEqual({ greeting: 'Bonjour (fr)', localeAfterwards: 'en' });
    const member = await fetch(`${server.url}/admin`, { headers: { authorization: 'token-bob' } });
    expect(member.status).toBe(403);
  });
});
