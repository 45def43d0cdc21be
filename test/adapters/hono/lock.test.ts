import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { InvalidArgumentError } from 'current-attributes';
import { globalLock, keyedLock, lockSignal, ResponseClosedError, stream } from 'current-attributes/hono';
import { KeyedMutex } from 'current-attributes/lock';
import { createDeferred } from 'current-attributes/testing';
import { Hono } from 'hono';
import { stream as honoStream } from 'hono/streaming';
import { describe, expect, test } from 'vitest';
import { get, rawClient } from '../../support/raw-client.js';
import { until } from '../../support/until.js';
import { captureWarnings } from '../../support/warnings.js';
import { serve } from './serve.js';

describe('globalLock and keyedLock for Hono', () => {
  test('answers 503 with c.text, or the Response onRejected returns, whose throw goes to app.onError', async () => {
    const finish = createDeferred();
    const strict = globalLock({ maxQueue: 0, retryAfterSeconds: 4 });
    const custom = globalLock({
      maxQueue: 0,
      onRejected: (error, c) => {
        if (c.req.path.endsWith('/throws')) throw new Error(`rethrown ${error.name}`);
        return c.json({ busy: true }, 429);
      },
    });
    const app = new Hono();
    app.use('/strict/*', strict);
    app.use('/custom/*', custom);
    app.get('*', async (c) => {
      await finish.promise;
      return c.text('done');
    });
    app.onError((error, c) => c.text(error.message, 500));
    const url = await serve(app);
    const holders = [fetch(`${url}/strict/holder`), fetch(`${url}/custom/holder`)];
    await until(() => strict.stats.active === 1 && custom.stats.active === 1);
    const unavailable = await fetch(`${url}/strict/second`);
    expect([unavailable.status, unavailable.headers.get('retry-after')]).toEqual([503, '4']);
    const busy = await fetch(`${url}/custom/second`);
    expect([busy.status, await busy.json()]).toEqual([429, { busy: true }]);
    const thrown = await fetch(`${url}/custom/throws`);
    expect([thrown.status, await thrown.text()]).toEqual([500, 'rethrown LockQueueFullError']);
    finish.resolve();
    await Promise.all(holders);
  });

  test('keyedLock on a route reads c.req.param, and sends a bad key or a held lock to app.onError', async () => {
    const locks = new KeyedMutex();
    const finish = createDeferred();
    const perAccount = keyedLock({ locks, key: (c) => `account:${c.req.param('id')}` });
    const app = new Hono();
    app.post('/accounts/:id/hold', perAccount, async (c) => {
      await finish.promise;
      return c.text('held');
    });
    app.post('/accounts/:id/deposit', perAccount, (c) => c.text(`deposited, ${locks.stats.active} active`));
    app.get('/bad-key', keyedLock({ key: () => undefined as never }), (c) => c.text('unreachable'));
    app.get('/twice', keyedLock({ locks, key: () => 'x' }), keyedLock({ locks, key: () => 'x' }), (c) => c.text('no'));
    app.onError((error, c) => c.text(error.name, 500));
    const url = await serve(app);
    const holder = fetch(`${url}/accounts/a/hold`, { method: 'POST' });
    await until(() => locks.stats.active === 1);
    const sameAccount = fetch(`${url}/accounts/a/deposit`, { method: 'POST' });
    await until(() => locks.stats.queued === 1);
    expect(await (await fetch(`${url}/accounts/b/deposit`, { method: 'POST' })).text()).toBe('deposited, 2 active');
    finish.resolve();
    expect(await (await holder).text()).toBe('held');
    expect(await (await sameAccount).text()).toBe('deposited, 1 active');
    expect(await (await fetch(`${url}/bad-key`)).text()).toBe('InvalidArgumentError');
    expect(await (await fetch(`${url}/twice`)).text()).toBe('ReentrantLockError');
    expect(locks.stats).toMatchObject({ active: 0, keys: 0 });
  });

  test('aborts the holder’s lockSignal(c.env.incoming) when its client hangs up, and releases when it returns', async () => {
    const lock = globalLock();
    const aborted = createDeferred<unknown>();
    const mayReturn = createDeferred();
    const app = new Hono<{ Bindings: HttpBindings }>();
    app.use(lock);
    app.get('/', async (c) => {
      c.env.outgoing.write('started');
      const signal = lockSignal(c.env.incoming) as AbortSignal;
      signal.addEventListener('abort', () => aborted.resolve(signal.reason));
      await mayReturn.promise;
      return RESPONSE_ALREADY_SENT;
    });
    const client = await rawClient(await serve(app));
    client.write(get('/'));
    await client.receivedText('started');
    await client.hangUp();
    expect(await aborted.promise).toBeInstanceOf(ResponseClosedError);
    expect(lock.stats.active).toBe(1);
    mayReturn.resolve();
    await until(() => lock.stats.active === 0);
    expect(lock.stats).toMatchObject({ releasedAfterDisconnect: 1, releasedByBound: 0 });
  });

  test('sends onRejected’s answer other than a Response or nothing to app.onError, as a typed error', async () => {
    const finish = createDeferred();
    const lock = globalLock({ maxQueue: 0, onRejected: (async (error: Error) => ({ error: error.message })) as never });
    const app = new Hono();
    app.use(lock);
    app.get('*', async (c) => {
      await finish.promise;
      return c.text('done');
    });
    app.onError((error, c) => c.text(`${error.name}: ${error.message}`, 500));
    const url = await serve(app);
    const holder = fetch(`${url}/holder`);
    await until(() => lock.stats.active === 1);
    const refused = await fetch(`${url}/refused`);
    expect([refused.status, await refused.text()]).toEqual([
      500,
      'InvalidArgumentError: Expected `onRejected` to return a Response, such as `c.json(...)`, or nothing, got `[object Object]` (object).',
    ]);
    finish.resolve();
    await holder;
  });

  test('with Hono’s own stream(), holds the lock after a hang-up mid-stream until abandonedHoldMs, as its callback’s end cannot be seen', async () => {
    const lock = globalLock({ abandonedHoldMs: 0 });
    const warnings = captureWarnings();
    const mayGoOn = createDeferred();
    const app = new Hono();
    app.use(lock);
    app.get('/', (c) =>
      honoStream(c, async (s) => {
        await s.write('started');
        await mayGoOn.promise;
        await s.write('after the hang-up');
      }),
    );
    try {
      const client = await rawClient(await serve(app));
      client.write(get('/'));
      await client.receivedText('started');
      await client.hangUp();
      await until(() => warnings.length > 0);
      expect(warnings).toMatchObject([
        {
          code: 'CURRENT_ATTRIBUTES_LOCK_ABANDONED',
          message: expect.stringMatching(/^Released lock `global` 0 ms after its client hung up/),
        },
      ]);
      expect(lock.stats).toMatchObject({ active: 0, releasedAfterDisconnect: 0, releasedByBound: 1 });
    } finally {
      mayGoOn.resolve();
    }
  });

  test('with this library’s stream(), holds the lock after a hang-up until the callback returned, then releases', async () => {
    const lock = globalLock();
    const clientGone = createDeferred();
    const mayGoOn = createDeferred();
    const app = new Hono<{ Bindings: HttpBindings }>();
    app.use(lock);
    app.get('/', (c) => {
      c.env.outgoing.on('close', () => clientGone.resolve());
      return stream(c, async (s) => {
        await s.write('started');
        await mayGoOn.promise;
        await s.write('after the hang-up');
      });
    });
    const client = await rawClient(await serve(app));
    client.write(get('/'));
    await client.receivedText('started');
    await client.hangUp();
    await clientGone.promise;
    for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(lock.stats.active).toBe(1);
    mayGoOn.resolve();
    await until(() => lock.stats.active === 0);
    expect(lock.stats).toMatchObject({ releasedAfterDisconnect: 1, releasedByBound: 0 });
  });

  test('rejects options of the wrong type at start-up, naming the option', () => {
    expect(() => globalLock({ retryAfterSeconds: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => globalLock({ onRejected: {} as never })).toThrow(/Expected `options.onRejected` to be a function/);
    expect(() => keyedLock({ key: null as never })).toThrow(
      new InvalidArgumentError('Expected `options.key` to be a function, got `null` (null).'),
    );
  });
});
