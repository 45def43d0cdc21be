import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from 'current-attributes';
import { globalLock } from 'current-attributes/express';
import { KeyedMutex, LockLostError, LockUnavailableError } from 'current-attributes/lock';
import { redisBackend } from 'current-attributes/lock/redis';
import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startRedisServer } from '../../examples/support/redis-server.js';
import { listen } from '../support/listen.js';

const redisUrl = inject('redisUrl');

// Skipped only outside CI when redis-server is not installed; the global
// setup prints how to enable them, and fails the run under CI=true.
describe.skipIf(redisUrl === '')('the Redis lock backend', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redisUrl);
  });
  afterAll(async () => {
    await client.quit();
  });

  test('holds the key in Redis while the lease is held, and deletes it on release', async () => {
    const key = `held-${randomUUID()}`;
    const locks = new KeyedMutex({ backend: redisBackend({ client, keyPrefix: 'test:' }) });
    const lease = await locks.acquire(key);
    expect(await client.exists(`mutex:test:${key}`)).toBe(1);
    await lease.release();
    expect(await client.exists(`mutex:test:${key}`)).toBe(0);
  });

  test('serializes holders in two processes, while the local queue keeps all but one waiter off Redis', async () => {
    const key = `shared-${randomUUID()}`;
    const here = new KeyedMutex({ backend: redisBackend({ client }) });
    const elsewhere = new KeyedMutex({ backend: redisBackend({ client }) });
    const held = await elsewhere.acquire(key);
    const waiting = [here.acquire(key), here.acquire(key), here.acquire(key)];
    expect(here.stats).toMatchObject({ active: 1, queued: 2 });
    expect(await here.tryAcquire(key)).toBeUndefined();
    await held.release();
    for (const next of waiting) await (await next).release();
    expect(here.stats).toMatchObject({ acquired: 3, keys: 0 });
  });

  // N processes racing for one record over many rounds, exactly one winning
  // each round: examples/record-lock/record-lock.test.ts.

  test('aborts the holder signal with LockLostError when its lease lapses while the process stalls', async () => {
    const key = `lapsing-${randomUUID()}`;
    const locks = new KeyedMutex({ backend: redisBackend({ client, lockTimeoutMs: 200, refreshIntervalMs: 100 }) });
    const lease = await locks.acquire(key);
    const lost = new Promise((resolve) => lease.signal.addEventListener('abort', () => resolve(lease.signal.reason)));
    // A stalled event loop (a long GC pause, a blocking call) cannot refresh
    // the lease: stall for longer than its TTL, so Redis lets it expire.
    const stalledUntil = Date.now() + 500;
    while (Date.now() < stalledUntil);
    expect(await lost).toBeInstanceOf(LockLostError);
    expect(await client.exists(`mutex:${key}`)).toBe(0);
    await lease.release();
  });

  test('refuses options that would lose every lease or overflow a timer, with a message that names them', () => {
    expect(() => redisBackend({ client, lockTimeoutMs: 1000, refreshIntervalMs: 1000 })).toThrow(
      'Expected `options.refreshIntervalMs` to be less than `options.lockTimeoutMs` (1000), got `1000` (number): a lease must be renewed before it runs out.',
    );
    expect(() => redisBackend({ client, commandTimeoutMs: 0 })).toThrow(
      'Expected `options.commandTimeoutMs` to be a positive number, got `0` (number).',
    );
    expect(() => redisBackend({ client, lockTimeoutMs: 2 ** 31 })).toThrow(InvalidArgumentError);
    expect(() => redisBackend({ client, lockTimeoutMs: Number.POSITIVE_INFINITY })).toThrow(InvalidArgumentError);
  });

  test('fails with LockUnavailableError at once when Redis is down, and the middleware answers 503', async () => {
    const doomed = await startRedisServer();
    const doomedClient = new Redis(doomed.url, { maxRetriesPerRequest: 1 });
    doomedClient.on('error', () => undefined);
    const locks = new KeyedMutex({ backend: redisBackend({ client: doomedClient }) });
    await (await locks.acquire('before')).release();
    await doomed.stop();
    while (doomedClient.status === 'ready') await new Promise((resolve) => setImmediate(resolve));

    await expect(locks.acquire('after')).rejects.toThrow(LockUnavailableError);
    await expect(locks.acquire('after')).rejects.toThrow(/^Could not acquire lock `after`: the lock backend failed/);
    const app = express();
    app.use(globalLock({ locks }), (_req, res) => res.send('unreachable'));
    const server = await listen(app);
    const response = await fetch(server.url);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    await server.close();
    doomedClient.disconnect();
    expect(locks.stats).toMatchObject({ failed: 3, active: 0, keys: 0 });
  });
});
