import { InvalidArgumentError } from 'current-attributes';
import { globalLock, keyedLock, lockSignal, ResponseClosedError } from 'current-attributes/koa';
import { KeyedMutex } from 'current-attributes/lock';
import { createDeferred } from 'current-attributes/testing';
import Koa from 'koa';
import { afterEach, describe, expect, test } from 'vitest';
import { listen, type RunningServer } from '../../support/listen.js';
import { get, rawClient } from '../../support/raw-client.js';
import { until } from '../../support/until.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves `app` and sends a request to `/holder`, which the app's handler must keep waiting; resolves once it holds `lock`. */
async function startWithHolder(app: Koa, lock: { stats: { active: number } }) {
  server = await listen(app.callback());
  const holder = fetch(`${server.url}/holder`);
  await until(() => lock.stats.active === 1);
  return { url: server.url, holder };
}

describe('globalLock and keyedLock for Koa', () => {
  test('answers a rejected request with onRejected, whose throw goes to Koa’s error handling', async () => {
    const lock = globalLock({
      maxQueue: 0,
      onRejected: (error, ctx) => {
        if (ctx.path === '/throws') throw new Error(`rethrown: ${error.name}`);
        ctx.status = 429;
        ctx.body = 'busy';
      },
    });
    const finish = createDeferred();
    const errors: string[] = [];
    const app = new Koa();
    app.on('error', (error: Error) => errors.push(error.message));
    app.use(lock);
    app.use(async (ctx) => {
      await finish.promise;
      ctx.body = 'ok';
    });
    const { url, holder } = await startWithHolder(app, lock);
    const busy = await fetch(`${url}/busy`);
    expect([busy.status, await busy.text()]).toEqual([429, 'busy']);
    expect((await fetch(`${url}/throws`)).status).toBe(500);
    expect(errors).toEqual(['rethrown: LockQueueFullError']);
    finish.resolve();
    expect(await (await holder).text()).toBe('ok');
  });

  test('keyedLock runs requests with different keys at once and one key one at a time', async () => {
    const lock = keyedLock({ key: (ctx) => `account:${ctx.get('x-account')}` });
    const finish = createDeferred();
    const app = new Koa();
    app.use(lock);
    app.use(async (ctx) => {
      if (ctx.path === '/holder') await finish.promise;
      ctx.body = `${ctx.path} ${lock.stats.active}`;
    });
    server = await listen(app.callback());
    const holder = fetch(`${server.url}/holder`, { headers: { 'x-account': 'a' } });
    await until(() => lock.stats.active === 1);
    const sameKey = fetch(`${server.url}/same`, { headers: { 'x-account': 'a' } });
    await until(() => lock.stats.queued === 1);
    const other = await fetch(`${server.url}/other`, { headers: { 'x-account': 'b' } });
    expect(await other.text()).toBe('/other 2');
    finish.resolve();
    expect(await (await holder).text()).toBe('/holder 1');
    expect(await (await sameKey).text()).toBe('/same 1');
  });

  test('sends a key function’s throw and a lock the request already holds to Koa’s error handling', async () => {
    const locks = new KeyedMutex();
    const errors: string[] = [];
    const app = new Koa();
    app.on('error', (error: Error) => errors.push(error.name));
    app.use(async (ctx, next) => {
      if (ctx.path === '/bad-key') return keyedLock({ key: () => 42 as never })(ctx, next);
      return next();
    });
    app.use(keyedLock({ locks, key: () => 'shared' }));
    app.use(keyedLock({ locks, key: () => 'shared' }));
    app.use((ctx) => {
      ctx.body = 'unreachable';
    });
    server = await listen(app.callback());
    expect((await fetch(`${server.url}/bad-key`)).status).toBe(500);
    expect((await fetch(`${server.url}/twice`)).status).toBe(500);
    expect(errors).toEqual(['InvalidArgumentError', 'ReentrantLockError']);
    expect(locks.stats).toMatchObject({ active: 0, keys: 0 });
  });

  test('aborts the holder’s lockSignal(ctx.req) with ResponseClosedError when its client hangs up', async () => {
    const lock = globalLock();
    const aborted = createDeferred<unknown>();
    const app = new Koa();
    app.use(lock);
    app.use(async (ctx) => {
      const signal = lockSignal(ctx.req) as AbortSignal;
      ctx.respond = false;
      ctx.res.write('started');
      signal.addEventListener('abort', () => aborted.resolve(signal.reason));
      await aborted.promise;
      ctx.res.end();
    });
    server = await listen(app.callback());
    const client = await rawClient(server.url);
    client.write(get('/'));
    await client.receivedText('started');
    await client.hangUp();
    expect(await aborted.promise).toBeInstanceOf(ResponseClosedError);
    await until(() => lock.stats.active === 0);
    expect(lock.stats.releasedAfterDisconnect).toBe(1);
  });

  test('answers with what onRejected returns as the body, with 503 and Retry-After unless it set others', async () => {
    const lock = globalLock({
      maxQueue: 0,
      onRejected: async (error, ctx) => {
        if (ctx.path === '/teapot') ctx.status = 418;
        return { error: error.name };
      },
    });
    const finish = createDeferred();
    const app = new Koa();
    app.use(lock);
    app.use(async (ctx) => {
      await finish.promise;
      ctx.body = 'ok';
    });
    const { url, holder } = await startWithHolder(app, lock);
    const refused = await fetch(`${url}/refused`);
    expect([refused.status, refused.headers.get('retry-after'), await refused.json()]).toEqual([
      503,
      '1',
      { error: 'LockQueueFullError' },
    ]);
    const teapot = await fetch(`${url}/teapot`);
    expect([teapot.status, await teapot.json()]).toEqual([418, { error: 'LockQueueFullError' }]);
    finish.resolve();
    expect(await (await holder).text()).toBe('ok');
  });

  test('rejects options of the wrong type at start-up, naming the option', () => {
    expect(() => globalLock({ timeoutMs: -1 })).toThrow(InvalidArgumentError);
    expect(() => globalLock({ onRejected: 'no' as never })).toThrow(
      new InvalidArgumentError('Expected `options.onRejected` to be a function, got `no` (string).'),
    );
    expect(() => keyedLock({} as never)).toThrow(/Expected `options.key` to be a function, got `undefined`/);
  });
});
