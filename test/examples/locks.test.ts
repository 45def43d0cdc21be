import { createDeferred, createLatch } from 'current-attributes/testing';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { createAccounts } from '../../examples/locks/accounts.js';
import { createApp as createGlobalLockApp } from '../../examples/locks/global-lock.js';
import { createApp as createKeyedLockApp } from '../../examples/locks/keyed-lock.js';
import { runNightlyReport } from '../../examples/locks/redis-lock.js';
import { listen, type RunningServer } from '../support/listen.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function depositTwentyTimesAtOnce(locked: boolean, accounts?: ReturnType<typeof createAccounts>) {
  server = await listen(createKeyedLockApp({ locked, accounts }));
  const url = server.url;
  await Promise.all(Array.from({ length: 20 }, () => fetch(`${url}/accounts/alice/deposit`, { method: 'POST' })));
  return ((await (await fetch(`${url}/accounts/alice`)).json()) as { balance: number }).balance;
}

describe('the keyedLock example', () => {
  test('loses all but one of 20 deposits without the lock, when all read before any writes', async () => {
    const allRead = createLatch(20);
    const readsWaitForEachOther = async () => {
      allRead.countDown();
      await allRead.wait();
    };
    expect(await depositTwentyTimesAtOnce(false, createAccounts({ alice: 0 }, readsWaitForEachOther))).toBe(10);
  });

  test('keeps every deposit with the lock', async () => {
    expect(await depositTwentyTimesAtOnce(true)).toBe(200);
  });
});

describe('the globalLock example', () => {
  test('answers each of 20 concurrent users with their own name, one request at a time', async () => {
    server = await listen(createGlobalLockApp());
    const url = server.url;
    const users = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const response = await fetch(`${url}/me`, { headers: { 'x-user': `user-${i}` } });
        return ((await response.json()) as { user: string }).user;
      }),
    );
    expect(users).toEqual(Array.from({ length: 20 }, (_, i) => `user-${i}`));
    expect(await (await fetch(`${url}/lock/stats`)).json()).toMatchObject({ acquired: 21, timedOut: 0 });
  });
});

const redisUrl = inject('redisUrl');
// Skipped only outside CI without redis-server; see test/support/redis-global-setup.ts.
describe.skipIf(redisUrl === '')('the Redis lock example', () => {
  test('runs the report in one of two processes that start it at the same moment', async () => {
    const started = createDeferred();
    const finish = createDeferred();
    const first = runNightlyReport(redisUrl, async () => {
      started.resolve();
      await finish.promise;
      return 'report built';
    });
    await started.promise;
    const second = await runNightlyReport(redisUrl, async () => 'built twice!');
    finish.resolve();
    expect([await first, second]).toEqual(['report built', 'another process is on it']);
  });
});
