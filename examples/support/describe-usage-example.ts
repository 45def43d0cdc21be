import { afterEach, describe, expect, test } from 'vitest';

/** An example app started on 127.0.0.1: its URL, and how to stop it. */
export interface StartedExample {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The checks every framework's usage example passes (Koa, Fastify, Hono):
 * each user sees their own attributes, an unknown token is answered `401`
 * with the request's id, and 20 concurrent deposits to one account under a
 * lock keyed by `Current.account` are all counted.
 */
export function describeUsageExample(name: string, start: (balances: Map<string, number>) => Promise<StartedExample>) {
  describe(name, () => {
    let started: StartedExample | undefined;
    const run = async (balances = new Map<string, number>()) => {
      started = await start(balances);
      return started.url;
    };
    afterEach(async () => {
      await started?.close();
      started = undefined;
    });

    test('answers each user with their own attributes and the request id they sent', async () => {
      const url = await run();
      const [ann, bob] = await Promise.all([
        fetch(`${url}/me`, { headers: { authorization: 'token-ann', 'x-request-id': 'r-1' } }),
        fetch(`${url}/me`, { headers: { authorization: 'token-bob', 'x-request-id': 'r-2' } }),
      ]);
      expect(await ann.json()).toMatchObject({ user: 'Ann', account: 'acme', requestId: 'r-1' });
      expect(await bob.json()).toMatchObject({ user: 'Bob', account: 'globex', requestId: 'r-2' });
    });

    test('answers an unknown token 401, with the request id in the answer', async () => {
      const url = await run();
      const response = await fetch(`${url}/me`, { headers: { authorization: 'nobody', 'x-request-id': 'r-3' } });
      expect([response.status, await response.json()]).toEqual([401, { error: 'unknown token', requestId: 'r-3' }]);
    });

    test('counts every one of 20 concurrent deposits to one account, under the lock keyed by Current.account', async () => {
      const balances = new Map<string, number>();
      const url = await run(balances);
      const deposit = (token: string) => fetch(`${url}/deposit`, { method: 'POST', headers: { authorization: token } });
      await Promise.all([...Array.from({ length: 20 }, () => deposit('token-ann')), deposit('token-bob')]);
      expect(Object.fromEntries(balances)).toEqual({ acme: 200, globex: 10 });
    });
  });
}
