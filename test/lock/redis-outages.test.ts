import { once } from 'node:events';
import { globalLock, keyedLock } from 'current-attributes/express';
import { KeyedMutex, type Lease, LockLostError, LockTimeoutError, LockUnavailableError } from 'current-attributes/lock';
import { redisBackend } from 'current-attributes/lock/redis';
import express from 'express';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, test } from 'vitest';
import { freeLoopbackPort, redisServerInstalled } from '../../examples/support/redis-server.js';
import { listen } from '../support/listen.js';
import { defaultClient, type OwnRedis, ready, startOwnRedis } from './support/own-redis.js';

/**
 * Each test breaks its own redis-server and settles every promise it checks
 * while Redis is still broken, so a call that waits for Redis to come back
 * fails as a test timeout instead of passing late. No durations are measured.
 */
describe.skipIf(!redisServerInstalled())('the Redis backend during an outage', () => {
  let redis: OwnRedis | undefined;
  let client: Redis | undefined;
  afterEach(async () => {
    client?.disconnect();
    await redis?.stop();
    client = undefined;
    redis = undefined;
  });

  /** Starts a redis-server, a client and locks on them, and locks once so the client is ready and the scripts are loaded. */
  async function healthyLocks(options: Partial<Parameters<typeof redisBackend>[0]> = {}) {
    redis = await startOwnRedis();
    client = defaultClient(redis.url);
    const locks = new KeyedMutex({ backend: redisBackend({ client, ...options }) });
    await locks.withLock('warm-up', () => undefined);
    return { redis, client, locks };
  }

  test('answers within timeoutMs while the client is still connecting to a port where nothing listens, and serves once Redis is up', async () => {
    const port = await freeLoopbackPort();
    client = defaultClient(`redis://127.0.0.1:${port}`);
    const locks = new KeyedMutex({ backend: redisBackend({ client }) });

    const first = locks.acquire('k', { timeoutMs: 500 });
    const next = locks.acquire('k', { timeoutMs: 60_000 });
    await expect(first).rejects.toThrow(LockTimeoutError);
    await expect(first).rejects.toThrow('in the lock backend');
    // The next local waiter is not stuck behind the first: it is answered by the backend's own bound.
    await expect(next).rejects.toThrow(LockUnavailableError);

    redis = await startOwnRedis(port);
    await ready(client);
    expect(await locks.withLock('k', () => 'served')).toBe('served');
  }, 15_000);

  test('fails at once with LockUnavailableError while the client is connecting again after losing Redis, not after commandTimeoutMs', async () => {
    // A command timeout longer than this test's: an acquisition parked in ioredis's offline queue fails the test.
    const { redis, client, locks } = await healthyLocks({ commandTimeoutMs: 60_000 });
    await redis.kill();
    // ioredis sets its status first and emits it on the next tick, before any I/O: inside the
    // listener the reconnection attempt is still connecting, whatever the connection's outcome.
    const { status, outcomes } = await new Promise<{ status: string; outcomes: Promise<unknown[]> }>((resolve) => {
      client.once('connecting', () => {
        const acquiring = [locks.tryAcquire('k'), locks.acquire('k', { timeoutMs: 60_000 })];
        resolve({ status: client.status, outcomes: Promise.allSettled(acquiring) });
      });
    });
    expect(status).toBe('connecting');
    for (const outcome of (await outcomes) as PromiseSettledResult<unknown>[]) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(LockUnavailableError) });
      expect(String((outcome as PromiseRejectedResult).reason.cause)).toMatch(
        /the Redis client is connecting again after it lost its connection/,
      );
    }
    expect(locks.stats).toMatchObject({ active: 0, queued: 0, keys: 0 });

    await redis.restart();
    await ready(client);
    expect(await locks.withLock('k', () => 'recovered', { timeoutMs: 5000 })).toBe('recovered');
  }, 15_000);

  test('fails at once while the client has connected again to a frozen Redis that has not answered its ready check', async () => {
    redis = await startOwnRedis();
    // The client reconnects only when the test asks it to, so each state is reached on purpose.
    client = new Redis(redis.url, { retryStrategy: () => 60_000 });
    client.on('error', () => undefined);
    const locks = new KeyedMutex({ backend: redisBackend({ client, commandTimeoutMs: 60_000 }) });
    await locks.withLock('warm-up', () => undefined);
    await redis.kill();
    if (client.status !== 'reconnecting') await once(client, 'reconnecting');
    await redis.restart();
    redis.freeze();
    client.connect().catch(() => undefined);
    // The kernel accepts the connection for the frozen server; its answer to ioredis's ready check never comes.
    await once(client, 'connect');
    expect(client.status).toBe('connect');
    const trying = locks.tryAcquire('k');
    await expect(trying).rejects.toThrow(LockUnavailableError);
    await expect(trying).rejects.toThrow(
      /the Redis client is connected again but not ready after it lost its connection/,
    );

    redis.thaw();
    await ready(client);
    expect(await locks.withLock('k', () => 'recovered', { timeoutMs: 5000 })).toBe('recovered');
  }, 15_000);

  test("still waits for the first connection of a new client, within the acquisition's bounds, instead of failing at once", async () => {
    redis = await startOwnRedis();
    client = defaultClient(redis.url);
    expect(client.status).toBe('connecting');
    const locks = new KeyedMutex({ backend: redisBackend({ client }) });
    expect(await locks.withLock('first', () => 'served', { timeoutMs: 5000 })).toBe('served');
  }, 15_000);

  test('rejects withLock with LockTimeoutError while Redis is frozen, never runs the function, and leaves no key behind', async () => {
    const { redis, client, locks } = await healthyLocks();
    let ran = false;
    redis.freeze();
    const locking = locks.withLock(
      'a',
      () => {
        ran = true;
      },
      { timeoutMs: 500 },
    );
    await expect(locking).rejects.toThrow(LockTimeoutError);
    expect(ran).toBe(false);
    expect(locks.stats).toMatchObject({ active: 0, queued: 0, keys: 0, timedOut: 1 });

    redis.thaw();
    // The SET sent before the freeze lands now; the release sent after it takes the key away again.
    expect(await client.exists('mutex:a')).toBe(0);
    expect(await locks.withLock('a', () => 'recovered', { timeoutMs: 5000 })).toBe('recovered');
  }, 15_000);

  test('rejects tryAcquire with LockUnavailableError after commandTimeoutMs while Redis is frozen', async () => {
    const { redis, locks } = await healthyLocks({ commandTimeoutMs: 300 });
    redis.freeze();
    const trying = locks.tryAcquire('job');
    await expect(trying).rejects.toThrow(LockUnavailableError);
    await expect(trying).rejects.toThrow('Redis did not answer within 300 ms (`commandTimeoutMs`)');
    expect(locks.isLocked('job')).toBe(false);
  }, 15_000);

  test('answers 503 from globalLock and keyedLock with timeoutMs while Redis is frozen', async () => {
    const { redis, locks } = await healthyLocks();
    const app = express();
    app.get('/global', globalLock({ locks, timeoutMs: 1000 }), (_req, res) => res.send('unreachable'));
    app.get('/keyed', keyedLock({ locks, key: () => 'keyed', timeoutMs: 1000 }), (_req, res) =>
      res.send('unreachable'),
    );
    const server = await listen(app);
    try {
      redis.freeze();
      const [global, keyed] = await Promise.all([fetch(`${server.url}/global`), fetch(`${server.url}/keyed`)]);
      expect([global.status, keyed.status]).toEqual([503, 503]);
      expect(global.headers.get('retry-after')).toBe('1');
    } finally {
      await server.close();
    }
  }, 15_000);

  test("aborts the holder's signal with LockLostError when its lease runs out while Redis is frozen", async () => {
    const { redis, locks } = await healthyLocks({ lockTimeoutMs: 600, refreshIntervalMs: 200 });
    const lease = await locks.acquire('import');
    redis.freeze();
    const reason = await new Promise((resolve) =>
      lease.signal.addEventListener('abort', () => resolve(lease.signal.reason)),
    );
    expect(reason).toBeInstanceOf(LockLostError);
    expect(String((reason as LockLostError).cause)).toContain('no renewal was confirmed');
    // Nothing is left to release: Redis lets the key expire by itself.
    await lease.release();
  }, 15_000);

  test('passes the key to the next local waiter at once when a release cannot reach a frozen Redis, and says the release failed', async () => {
    const { redis, locks } = await healthyLocks({ commandTimeoutMs: 300 });
    const lease = await locks.acquire('k');
    const waiting = locks.acquire('k', { timeoutMs: 60_000 });
    expect(locks.stats.queued).toBe(1);
    redis.freeze();

    const releasing = lease.release();
    expect(locks.stats).toMatchObject({ queued: 0, active: 1 });
    await expect(releasing).rejects.toThrow(LockUnavailableError);
    await expect(releasing).rejects.toThrow(/^Could not release lock `k`/);
    // The waiter reached Redis, which does not answer: the backend's own bound ends it.
    await expect(waiting).rejects.toThrow(LockUnavailableError);
    expect(locks.isLocked('k')).toBe(false);

    redis.thaw();
    expect(await locks.withLock('k', () => 'recovered', { timeoutMs: 5000 })).toBe('recovered');
  }, 15_000);

  test('rejects an acquisition whose command was in flight when Redis died, and serves again once Redis restarts', async () => {
    const { redis, client, locks } = await healthyLocks();
    redis.freeze();
    const acquiring: Promise<Lease> = locks.acquire('k', { timeoutMs: 500 });
    await redis.kill();
    await expect(acquiring).rejects.toThrow(LockTimeoutError);

    await redis.restart();
    await ready(client);
    // ioredis sends the unanswered SET again on the new connection; the
    // release queued behind it deletes the key, so no ghost holds it for the
    // whole lease (10 s by default).
    expect(await locks.withLock('k', () => 'recovered', { timeoutMs: 5000 })).toBe('recovered');
  }, 15_000);
});
