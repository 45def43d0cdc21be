import { PassThrough } from 'node:stream';
import { InvalidArgumentError } from 'current-attributes';
import { fastifyCurrent, globalLock, keyedLock, lockSignal, ResponseClosedError } from 'current-attributes/fastify';
import { KeyedMutex } from 'current-attributes/lock';
import { createDeferred } from 'current-attributes/testing';
import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import { get, rawClient } from '../../support/raw-client.js';
import { until } from '../../support/until.js';
import { captureWarnings } from '../../support/warnings.js';
import { serve } from './serve.js';

async function fastifyApp({ withPlugin = true } = {}) {
  const app = Fastify();
  if (withPlugin) await app.register(fastifyCurrent);
  app.setErrorHandler(async (error: Error, _request, reply) => reply.code(500).send(`${error.name}: ${error.message}`));
  return app;
}

describe('globalLock and keyedLock for Fastify', () => {
  test('as a route’s preHandler, a keyed lock reads request.params: one account at a time, others at once', async () => {
    const instance = await fastifyApp();
    const lock = keyedLock({ key: (request) => `account:${(request.params as { id: string }).id}` });
    const finish = createDeferred();
    instance.post('/accounts/:id/hold', { preHandler: lock }, async () => {
      await finish.promise;
      return 'held';
    });
    instance.post('/accounts/:id/deposit', { preHandler: lock }, async () => `deposited, ${lock.stats.active} active`);
    const url = await serve(instance);
    const holder = fetch(`${url}/accounts/a/hold`, { method: 'POST' });
    await until(() => lock.stats.active === 1);
    const sameAccount = fetch(`${url}/accounts/a/deposit`, { method: 'POST' });
    await until(() => lock.stats.queued === 1);
    expect(await (await fetch(`${url}/accounts/b/deposit`, { method: 'POST' })).text()).toBe('deposited, 2 active');
    finish.resolve();
    expect(await (await holder).text()).toBe('held');
    expect(await (await sameAccount).text()).toBe('deposited, 1 active');
  });

  test('answers 503 through the reply, or lets onRejected answer, whose throw goes to the error handler', async () => {
    const instance = await fastifyApp();
    const finish = createDeferred();
    const strict = globalLock({ maxQueue: 0, retryAfterSeconds: 2 });
    const custom = globalLock({
      maxQueue: 0,
      onRejected: (error, request, reply) => {
        if (request.url === '/custom/throws') throw new Error(`rethrown ${error.name}`);
        return reply.code(429).send('busy');
      },
    });
    instance.addHook('onSend', async (_request, reply, payload) => {
      reply.header('x-on-send', 'ran');
      return payload;
    });
    instance.get('/strict/*', { preHandler: strict }, async () => finish.promise.then(() => 'done'));
    instance.get('/custom/*', { preHandler: custom }, async () => finish.promise.then(() => 'done'));
    const url = await serve(instance);
    const holders = [fetch(`${url}/strict/holder`), fetch(`${url}/custom/holder`)];
    await until(() => strict.stats.active === 1 && custom.stats.active === 1);
    const unavailable = await fetch(`${url}/strict/second`);
    expect([unavailable.status, unavailable.headers.get('retry-after'), unavailable.headers.get('x-on-send')]).toEqual([
      503,
      '2',
      'ran',
    ]);
    expect(await unavailable.text()).toMatch(/queue/);
    const busy = await fetch(`${url}/custom/second`);
    expect([busy.status, await busy.text()]).toEqual([429, 'busy']);
    const thrown = await fetch(`${url}/custom/throws`);
    expect([thrown.status, await thrown.text()]).toEqual([500, 'Error: rethrown LockQueueFullError']);
    finish.resolve();
    await Promise.all(holders);
  });

  test('sends a key function’s throw and a lock the request already holds to the error handler', async () => {
    const instance = await fastifyApp();
    const locks = new KeyedMutex();
    const shared = () => keyedLock({ locks, key: () => 'shared' });
    instance.get('/bad-key', { preHandler: keyedLock({ key: () => 42 as never }) }, async () => 'unreachable');
    instance.get('/twice', { preHandler: [shared(), shared()] }, async () => 'unreachable');
    const url = await serve(instance);
    expect(await (await fetch(`${url}/bad-key`)).text()).toBe(
      'InvalidArgumentError: Expected the lock key of a request to be a string, got `42` (number).',
    );
    expect(await (await fetch(`${url}/twice`)).text()).toMatch(/^ReentrantLockError: Lock `shared` is already held/);
    expect(locks.stats).toMatchObject({ active: 0, keys: 0 });
  });

  test('holds a streamed reply whose client hung up until the handler settles, its lockSignal aborted', async () => {
    const instance = await fastifyApp();
    const lock = globalLock();
    const aborted = createDeferred<unknown>();
    const mayFinish = createDeferred();
    instance.addHook('onRequest', lock);
    instance.get('/', async (request, reply) => {
      const stream = new PassThrough();
      reply.send(stream);
      stream.write('started');
      const signal = lockSignal(request.raw) as AbortSignal;
      signal.addEventListener('abort', () => aborted.resolve(signal.reason));
      await mayFinish.promise;
      stream.end('never read');
      return reply;
    });
    const client = await rawClient(await serve(instance));
    client.write(get('/'));
    await client.receivedText('started');
    await client.hangUp();
    expect(await aborted.promise).toBeInstanceOf(ResponseClosedError);
    expect(lock.stats.active).toBe(1);
    mayFinish.resolve();
    await until(() => lock.stats.active === 0);
    expect(lock.stats).toMatchObject({ releasedAfterDisconnect: 1, releasedByBound: 0 });
  });

  test('without fastifyCurrent, releases such a holder only by abandonedHoldMs, with a warning', async () => {
    const instance = await fastifyApp({ withPlugin: false });
    const lock = globalLock({ abandonedHoldMs: 0 });
    const warnings = captureWarnings();
    const mayFinish = createDeferred();
    instance.get('/', { preHandler: lock }, async (_request, reply) => {
      const stream = new PassThrough();
      reply.send(stream);
      stream.write('started');
      await mayFinish.promise;
      stream.end();
      return reply;
    });
    try {
      const client = await rawClient(await serve(instance));
      client.write(get('/'));
      await client.receivedText('started');
      await client.hangUp();
      await until(() => warnings.length === 1);
      expect(warnings).toEqual([
        {
          name: 'Warning',
          code: 'CURRENT_ATTRIBUTES_LOCK_ABANDONED',
          message: expect.stringMatching(/^Released lock `global` 0 ms after its client hung up/),
        },
      ]);
      expect(lock.stats).toMatchObject({ active: 0, releasedAfterDisconnect: 0, releasedByBound: 1 });
    } finally {
      mayFinish.resolve();
    }
  });

  test('after a hang-up, holds the lock until an async onSend hook has run and Fastify wrote the reply', async () => {
    const instance = await fastifyApp();
    const lock = globalLock();
    let inOnSend = false;
    const seenByNext: boolean[] = [];
    const entered = createDeferred();
    const clientGone = createDeferred();
    const mayAnswer = createDeferred();
    const onSendEntered = createDeferred();
    const onSendMayEnd = createDeferred();
    instance.addHook('onSend', async (request, _reply, payload) => {
      if (request.url !== '/slow') return payload;
      inOnSend = true;
      onSendEntered.resolve();
      await onSendMayEnd.promise;
      inOnSend = false;
      return payload;
    });
    instance.get('/slow', { preHandler: lock }, async (_request, reply) => {
      reply.raw.on('close', () => clientGone.resolve());
      entered.resolve();
      await mayAnswer.promise;
      return 'slow';
    });
    instance.get('/next', { preHandler: lock }, async () => {
      seenByNext.push(inOnSend);
      return 'next';
    });
    const url = await serve(instance);
    const client = await rawClient(url);
    client.write(get('/slow'));
    await entered.promise;
    const next = fetch(`${url}/next`).then((response) => response.text());
    await until(() => lock.stats.queued === 1);
    await client.hangUp();
    await clientGone.promise;
    mayAnswer.resolve();
    await onSendEntered.promise;
    for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect([lock.stats.active, seenByNext]).toEqual([1, []]);
    onSendMayEnd.resolve();
    expect(await next).toBe('next');
    expect(seenByNext).toEqual([false]);
    expect(lock.stats).toMatchObject({ releasedAfterDisconnect: 1, releasedByBound: 0 });
  });

  test('sends what onRejected returns, as a handler’s return value, with 503 unless it set another status', async () => {
    const instance = await fastifyApp();
    const finish = createDeferred();
    const lock = globalLock({
      maxQueue: 0,
      onRejected: async (error, request, reply) => {
        if (request.url === '/teapot') reply.code(418);
        return { error: error.name };
      },
    });
    instance.get('/*', { preHandler: lock }, async () => finish.promise.then(() => 'done'));
    const url = await serve(instance);
    const holder = fetch(`${url}/holder`);
    await until(() => lock.stats.active === 1);
    const refused = await fetch(`${url}/refused`);
    expect([refused.status, refused.headers.get('retry-after'), await refused.json()]).toEqual([
      503,
      '1',
      { error: 'LockQueueFullError' },
    ]);
    const teapot = await fetch(`${url}/teapot`);
    expect([teapot.status, await teapot.json()]).toEqual([418, { error: 'LockQueueFullError' }]);
    finish.resolve();
    expect(await (await holder).text()).toBe('done');
  });

  test('rejects options of the wrong type at start-up, naming the option', () => {
    expect(() => globalLock({ maxQueue: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => globalLock({ onRejected: 503 as never })).toThrow(
      new InvalidArgumentError('Expected `options.onRejected` to be a function, got `503` (number).'),
    );
    expect(() => keyedLock({ key: 'account' as never })).toThrow(/Expected `options.key` to be a function/);
  });
});
