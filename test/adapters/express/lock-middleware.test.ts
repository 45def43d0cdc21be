import { InvalidArgumentError } from 'current-attributes';
import { globalLock, keyedLock, lockSignal } from 'current-attributes/express';
import { KeyedMutex } from 'current-attributes/lock';
import { createDeferred, createLatch } from 'current-attributes/testing';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterEach, describe, expect, test } from 'vitest';
import { listen, type RunningServer } from '../../support/listen.js';
import { until } from '../../support/until.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(app: express.Express) {
  server = await listen(app);
  return server.url;
}

/**
 * Starts an app whose every request holds `lock` until `release` is called,
 * and sends the first request; resolves once that request holds the lock.
 */
async function holderInside(lock: ReturnType<typeof globalLock>) {
  const finish = createDeferred();
  const app = express();
  app.use(lock);
  app.get('/', async (_req, res) => {
    await finish.promise;
    res.send('ok');
  });
  const url = await start(app);
  const holder = fetch(url);
  await until(() => lock.stats.active === 1);
  return { url, holder, release: () => finish.resolve() };
}

/** Resolves once the lock has `count` waiters queued. */
const queuedBehind = (lock: { stats: { queued: number } }, count: number) => until(() => lock.stats.queued >= count);

describe('globalLock: the Rack::Lock checklist', () => {
  test('holds the lock until a streaming response has closed, not when next returns or at res.end()', async () => {
    const lock = globalLock();
    const finishStream = createDeferred();
    const seenAtEnd: number[] = [];
    const app = express();
    app.use(lock);
    app.get('/stream', async (_req, res) => {
      res.write('first chunk\n');
      await finishStream.promise;
      res.end('last chunk\n');
      seenAtEnd.push(lock.stats.active);
    });
    app.get('/quick', (_req, res) => res.send('quick'));
    const url = await start(app);

    const streaming = await fetch(`${url}/stream`);
    const quick = fetch(`${url}/quick`);
    await queuedBehind(lock, 1);
    expect(lock.stats.active).toBe(1);
    finishStream.resolve();
    expect(await streaming.text()).toBe('first chunk\nlast chunk\n');
    expect(await (await quick).text()).toBe('quick');
    expect(seenAtEnd).toEqual([1]);
    expect(lock.stats).toMatchObject({ active: 0, acquired: 2, keys: 0 });
  });

  test('releases when the handler throws, and when it calls next(error)', async () => {
    const lock = globalLock();
    const app = express();
    app.use(lock);
    app.get('/throws', () => {
      throw new Error('thrown');
    });
    app.get('/next', (_req, _res, next) => next(new Error('passed')));
    app.get('/ok', (_req, res) => res.send('ok'));
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => res.status(500).send(error.message));
    const url = await start(app);

    expect(await (await fetch(`${url}/throws`)).text()).toBe('thrown');
    expect(await (await fetch(`${url}/next`)).text()).toBe('passed');
    expect(await (await fetch(`${url}/ok`)).text()).toBe('ok');
    expect(lock.stats).toMatchObject({ active: 0, acquired: 3 });
  });

  test('does not release when acquiring failed: a timed-out request leaves the holder holding', async () => {
    const lock = globalLock({ timeoutMs: 30 });
    const { url, holder, release } = await holderInside(lock);

    const timedOut = await fetch(url);
    expect(timedOut.status).toBe(503);
    expect(timedOut.headers.get('retry-after')).toBe('1');
    expect(await timedOut.text()).toMatch(/^Timed out after 30 ms waiting for lock `global`/);
    expect(lock.stats).toMatchObject({ active: 1, queued: 0, timedOut: 1 });
    release();
    expect(await (await holder).text()).toBe('ok');
  });

  test('returns the app response unchanged: status, headers and body', async () => {
    const app = (withLock: boolean) => {
      const made = express();
      if (withLock) made.use(globalLock());
      made.get('/', (_req, res) => res.status(201).set('x-custom', 'yes').json({ ok: true }));
      return made;
    };
    const answers = [];
    for (const withLock of [false, true]) {
      const url = await start(app(withLock));
      const response = await fetch(url);
      answers.push({
        status: response.status,
        custom: response.headers.get('x-custom'),
        type: response.headers.get('content-type'),
        body: await response.text(),
      });
      await server?.close();
      server = undefined;
    }
    expect(answers[1]).toEqual(answers[0]);
  });

  test('lets at most one request inside at any instant', async () => {
    const lock = globalLock();
    const intervals: Array<[number, number]> = [];
    const app = express();
    app.use(lock);
    app.get('/', async (_req, res) => {
      const start = performance.now();
      res.on('close', () => intervals.push([start, performance.now()]));
      await new Promise((resolve) => setImmediate(resolve));
      res.send('ok');
    });
    const url = await start(app);
    await Promise.all(Array.from({ length: 30 }, () => fetch(url).then((response) => response.text())));

    intervals.sort(([a], [b]) => a - b);
    expect(intervals).toHaveLength(30);
    for (let i = 1; i < intervals.length; i += 1) {
      expect((intervals[i] as [number, number])[0]).toBeGreaterThanOrEqual((intervals[i - 1] as [number, number])[1]);
    }
  });
});

describe('bounded waiting', () => {
  test('answers 503 with Retry-After when the queue is full', async () => {
    const lock = globalLock({ maxQueue: 1, retryAfterSeconds: 7 });
    const { url, holder, release } = await holderInside(lock);

    const queued = fetch(url);
    await queuedBehind(lock, 1);
    const rejected = await fetch(url);
    expect(rejected.status).toBe(503);
    expect(rejected.headers.get('retry-after')).toBe('7');
    release();
    expect(await (await holder).text()).toBe('ok');
    expect(await (await queued).text()).toBe('ok');
    expect(lock.stats.rejected).toBe(1);
  });

  test('hands a rejection to onRejected when one is given', async () => {
    const lock = globalLock({
      maxQueue: 0,
      onRejected: (error, _req, res) => res.status(429).json({ rejected: error.name }),
    });
    const { url, holder, release } = await holderInside(lock);

    const rejected = await fetch(url);
    expect(rejected.status).toBe(429);
    expect(await rejected.json()).toEqual({ rejected: 'LockQueueFullError' });
    release();
    await holder;
  });

  test('a client that disconnects while queued leaves the queue and never reaches the handler', async () => {
    const lock = globalLock();
    const finish = createDeferred();
    const reached: string[] = [];
    const app = express();
    app.use(lock);
    app.get('/:name', async (req, res) => {
      reached.push(req.params.name as string);
      if (req.params.name === 'holder') await finish.promise;
      res.send('ok');
    });
    const url = await start(app);

    const holder = fetch(`${url}/holder`);
    await until(() => lock.stats.active === 1);
    const client = new AbortController();
    const gone = fetch(`${url}/gone`, { signal: client.signal }).catch(() => 'aborted');
    await queuedBehind(lock, 1);
    client.abort();
    expect(await gone).toBe('aborted');
    await until(() => lock.stats.queued === 0);
    finish.resolve();
    await holder;
    expect(await (await fetch(`${url}/after`)).text()).toBe('ok');
    expect(reached).toEqual(['holder', 'after']);
    expect(lock.stats.abandoned).toBe(1);
  });
});

describe('the deadlock trap: a lock granted to a request whose client already left', () => {
  test('is released at once, since the close it would wait for has already happened', async () => {
    // A backend that ignores the waiter's signal and answers late: the lock
    // is granted after the client hung up.
    const answer = createDeferred();
    const remoteReleases: string[] = [];
    let waiterSignal: AbortSignal | undefined;
    const locks = new KeyedMutex({
      backend: {
        async acquire(key, { signal }) {
          waiterSignal = signal;
          await answer.promise;
          return { release: async () => void remoteReleases.push(key) };
        },
      },
    });
    const lock = globalLock({ locks });
    const reached: string[] = [];
    const app = express();
    app.use(lock);
    app.get('/:name', (req, res) => {
      reached.push(req.params.name as string);
      res.send('ok');
    });
    const url = await start(app);

    const client = new AbortController();
    const gone = fetch(`${url}/gone`, { signal: client.signal }).catch(() => 'aborted');
    await until(() => lock.stats.active === 1);
    client.abort();
    expect(await gone).toBe('aborted');
    await until(() => waiterSignal?.aborted === true); // the server has seen the client go
    answer.resolve();
    // The waiter left as its client did; the lock granted after that is released by KeyedMutex.
    await until(() => lock.stats.active === 0 && remoteReleases.length > 0);
    expect(remoteReleases).toEqual(['global']);
    expect(reached).toEqual([]);
    expect(await (await fetch(`${url}/after`)).text()).toBe('ok');
    expect(lock.stats.abandoned).toBe(1);
  });
});

describe('keyedLock', () => {
  function appWithKeyedLock(lock: ReturnType<typeof keyedLock>, release: Map<string, () => void>) {
    const app = express();
    app.get('/accounts/:id', lock, async (req, res) => {
      const done = createDeferred();
      release.set(`${req.params.id}:${release.size}`, () => done.resolve());
      await done.promise;
      res.send(req.params.id);
    });
    return app;
  }

  test('runs different keys at the same time, serializes one key, and forgets idle keys', async () => {
    const lock = keyedLock({ key: (req) => `account:${req.params.id}` });
    const release = new Map<string, () => void>();
    const url = await start(appWithKeyedLock(lock, release));

    const a1 = fetch(`${url}/accounts/a`);
    const b1 = fetch(`${url}/accounts/b`);
    await until(() => release.size === 2);
    const a2 = fetch(`${url}/accounts/a`);
    await queuedBehind(lock, 1);
    expect(lock.stats).toMatchObject({ active: 2, queued: 1, keys: 2 });
    for (const resolve of release.values()) resolve();
    await Promise.all([a1, b1]);
    await until(() => release.size === 3);
    [...release.values()][2]?.();
    expect(await (await a2).text()).toBe('a');
    await until(() => lock.stats.keys === 0);
    expect(lock.stats).toMatchObject({ active: 0, queued: 0, keys: 0, acquired: 3 });
  });

  test('answers a request that asks for a key it already holds with ReentrantLockError, not a deadlock', async () => {
    const locks = new KeyedMutex();
    const outer = keyedLock({ key: () => 'same', locks });
    const inner = keyedLock({ key: () => 'same', locks });
    const app = express();
    app.get('/', outer, inner, (_req, res) => res.send('unreachable'));
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => res.status(500).send(error.name));
    const url = await start(app);
    const response = await fetch(url);
    expect(await response.text()).toBe('ReentrantLockError');
    expect(locks.stats.active).toBe(0);
  });

  test('lets one request hold several keys, and refuses it the first one again behind the second', async () => {
    const locks = new KeyedMutex();
    const first = keyedLock({ key: () => 'first', locks });
    const second = keyedLock({ key: () => 'second', locks });
    const firstAgain = keyedLock({ key: () => 'first', locks });
    const seen: string[] = [];
    const app = express();
    app.get('/both', first, second, (req, res) => {
      seen.push(`holding ${locks.stats.active}, signal ${lockSignal(req) === undefined ? 'missing' : 'there'}`);
      res.send('both');
    });
    app.get('/again', first, second, firstAgain, (_req, res) => res.send('unreachable'));
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => res.status(500).send(error.name));
    const url = await start(app);

    expect(await (await fetch(`${url}/both`)).text()).toBe('both');
    expect(await (await fetch(`${url}/again`)).text()).toBe('ReentrantLockError');
    expect(await (await fetch(`${url}/both`)).text()).toBe('both');
    await until(() => locks.stats.active === 0);
    expect(seen).toEqual(['holding 2, signal there', 'holding 2, signal there']);
    expect(locks.stats).toMatchObject({ active: 0, keys: 0 });
  });

  test('passes a failing key function to the error handler', async () => {
    const app = express();
    app.get('/', keyedLock({ key: () => 42 as never }), (_req, res) => res.send('unreachable'));
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => res.status(500).send(error.message));
    const url = await start(app);
    expect(await (await fetch(url)).text()).toBe(
      'Expected the lock key of a request to be a string, got `42` (number).',
    );
  });
});

describe('wrap: hold the lock until an async handler settles', () => {
  test('keeps the next request out while a handler whose client hung up is still running', async () => {
    const lock = globalLock();
    const finishAbandoned = createDeferred();
    const entered = createLatch(1);
    let abandonedSignal: AbortSignal | undefined;
    const events: string[] = [];
    const app = express();
    app.get(
      '/abandoned',
      lock.wrap(async (req, res) => {
        res.write('started');
        abandonedSignal = lockSignal(req);
        entered.countDown();
        await finishAbandoned.promise;
        events.push(`abandoned handler done, signal aborted: ${lockSignal(req)?.aborted}`);
      }),
    );
    app.get(
      '/next',
      lock.wrap((_req, res) => {
        events.push('next request entered');
        res.send('next');
      }),
    );
    const url = await start(app);

    const client = new AbortController();
    const abandoned = await fetch(`${url}/abandoned`, { signal: client.signal });
    await entered.wait();
    const next = fetch(`${url}/next`);
    await queuedBehind(lock, 1);
    client.abort();
    await abandoned.text().catch(() => undefined);
    await until(() => abandonedSignal?.aborted === true);
    expect(lock.stats).toMatchObject({ active: 1, queued: 1 });
    expect(events).toEqual([]);
    finishAbandoned.resolve();
    expect(await (await next).text()).toBe('next');
    expect(events).toEqual(['abandoned handler done, signal aborted: true', 'next request entered']);
    expect(lock.stats).toMatchObject({ releasedAfterDisconnect: 1, releasedByBound: 0 });
  });

  test('sends a rejection of the wrapped handler to the error handler, and releases', async () => {
    const lock = globalLock();
    const app = express();
    app.get(
      '/',
      lock.wrap(async () => {
        throw new Error('rejected');
      }),
    );
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => res.status(500).send(error.message));
    const url = await start(app);
    expect(await (await fetch(url)).text()).toBe('rejected');
    expect(await (await fetch(url)).text()).toBe('rejected');
    expect(lock.stats).toMatchObject({ active: 0, acquired: 2 });
  });
});

describe('options', () => {
  test('reject values of the wrong type with a message that names them', () => {
    expect(() => globalLock({ retryAfterSeconds: -1 })).toThrow(
      'Expected `options.retryAfterSeconds` to be a whole number of seconds, 0 or more, got `-1` (number).',
    );
    expect(() => globalLock({ locks: {} as never })).toThrow('Expected `options.locks` to be a KeyedMutex');
    expect(() => keyedLock({ key: 'id' as never })).toThrow('Expected `options.key` to be a function');
  });

  test.each([
    [{ timeoutMs: -5 }, 'Expected `timeoutMs` to be a positive number, got `-5` (number).'],
    [{ maxQueue: 1.5 }, 'Expected `maxQueue` to be a non-negative integer, got `1.5` (number).'],
    [{ retryAfterSeconds: 1.5 }, 'Expected `options.retryAfterSeconds` to be a whole number of seconds'],
    [{ retryAfterSeconds: Number.POSITIVE_INFINITY }, 'got `Infinity` (number). The Retry-After header'],
    [{ abandonedHoldMs: -1 }, 'Expected `options.abandonedHoldMs` to be a number of ms from 0 to 2147483647'],
    [{ abandonedHoldMs: 2 ** 31 }, 'got `2147483648` (number)'],
  ])('are checked when the middleware is made, not on each request: %o', (options, message) => {
    expect(() => globalLock(options)).toThrow(InvalidArgumentError);
    expect(() => globalLock(options)).toThrow(message);
    expect(() => keyedLock({ key: () => 'k', ...options })).toThrow(message);
  });
});
