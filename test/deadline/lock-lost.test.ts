import { requestSignal } from 'current-attributes';
import { currentMiddleware, globalLock } from 'current-attributes/express';
import { KeyedMutex } from 'current-attributes/lock';
import { redisBackend } from 'current-attributes/lock/redis';
import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { listen } from '../support/listen.js';

const redisUrl = inject('redisUrl');

describe.skipIf(redisUrl === '')('requestSignal and a lock held for the request', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redisUrl);
  });
  afterAll(async () => {
    await client.quit();
  });

  test('aborts with LockLostError when the Redis lease the lock middleware holds for it lapses', async () => {
    const locks = new KeyedMutex({ backend: redisBackend({ client, lockTimeoutMs: 200, refreshIntervalMs: 100 }) });
    const app = express();
    app.use(currentMiddleware());
    app.use(globalLock({ locks }));
    app.get('/', async (_req, res) => {
      const signal = requestSignal() as AbortSignal;
      // A stalled event loop cannot refresh the lease: Redis lets it expire.
      const stalledUntil = Date.now() + 500;
      while (Date.now() < stalledUntil);
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve));
      res.send((signal.reason as Error).name);
    });
    const server = await listen(app);
    try {
      expect(await (await fetch(server.url)).text()).toBe('LockLostError');
    } finally {
      await server.close();
    }
  });
});
