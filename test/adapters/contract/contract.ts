import { createBarrier, createDeferred } from 'current-attributes/testing';
import { afterEach, describe, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';
import { get, rawClient } from '../../support/raw-client.js';
import { until } from '../../support/until.js';
import { describeLockEdges } from './lock-edges.js';
import { describeMounts } from './mounts.js';
import { describeStreamedResponses } from './streamed-responses.js';
import type { AdapterUnderTest, ContractApp, StartedApp } from './types.js';

export type { AdapterUnderTest, Call, ContractApp, Rejection, StartedApp } from './types.js';

const CONCURRENT = 500;

/** What every adapter must do, checked against `adapter` on real sockets. */
export function describeContract(adapter: AdapterUnderTest): void {
  let started: StartedApp | undefined;
  const start = async (app: ContractApp) => {
    started = await adapter.start(app);
    return started;
  };
  afterEach(async () => {
    await started?.close();
    started = undefined;
  });
  describeStreamedResponses(adapter, start);
  describeLockEdges(adapter, start);
  describeMounts(adapter, start);

  describe(`${adapter.name}: requests keep their own values`, () => {
    test(`${CONCURRENT} concurrent requests each read their own user, where a module global serves others'`, async () => {
      const barrier = createBarrier(CONCURRENT);
      let moduleGlobal: string | undefined;
      const app = await start({
        route: async (call) => {
          const user = call.header('x-user') as string;
          moduleGlobal = user;
          Current.locale = user;
          await barrier.arrive();
          await new Promise((resolve) => setImmediate(resolve));
          call.end(JSON.stringify({ global: moduleGlobal, current: Current.locale }));
        },
      });
      const answers = await Promise.all(
        Array.from({ length: CONCURRENT }, async (_, index) => {
          const response = await fetch(app.url, { headers: { 'x-user': `user-${index}` } });
          const { global, current } = (await response.json()) as { global: string; current: string };
          return { global: global === `user-${index}`, current: current === `user-${index}` };
        }),
      );
      expect(answers.filter((answer) => !answer.current)).toHaveLength(0);
      expect(answers.filter((answer) => !answer.global).length).toBeGreaterThan(CONCURRENT / 2);
    });

    test('error handling and end-of-response hooks see the request’s values', async () => {
      const finished: string[] = [];
      const app = await start({
        route: async (call) => {
          Current.locale = call.header('x-user') as string;
          call.onFinish(() => finished.push(`${call.path} finished as ${Current.locale}`));
          await new Promise((resolve) => setImmediate(resolve));
          if (call.path === '/fails') throw new Error('failed');
          call.end(Current.locale);
        },
        onError: (error) => `${(error as Error).message} as ${Current.locale}`,
      });
      const [ok, failed] = await Promise.all([
        fetch(`${app.url}/ok`, { headers: { 'x-user': 'ada' } }),
        fetch(`${app.url}/fails`, { headers: { 'x-user': 'bob' } }),
      ]);
      expect([ok.status, await ok.text()]).toEqual([200, 'ada']);
      expect([failed.status, await failed.text()]).toEqual([500, 'failed as bob']);
      await until(() => finished.length === 2);
      expect(finished.sort()).toEqual(['/fails finished as bob', '/ok finished as ada']);
    });

    test('runs reset callbacks once per request, also for a pipelined one whose connection died', async () => {
      const resets: string[] = [];
      const removeCallback = Current.beforeReset(() => resets.push(Current.locale));
      const entered = new Map([1, 2].map((index) => [`/${index}`, createDeferred()]));
      const connectionGone = createDeferred();
      const finish = createDeferred();
      try {
        const app = await start({
          route: async (call) => {
            Current.locale = call.path;
            if (call.path === '/0') return call.end(call.path);
            if (call.path === '/1') call.onClose(() => connectionGone.resolve());
            entered.get(call.path)?.resolve();
            await finish.promise;
            call.end(call.path);
          },
        });
        expect(await (await fetch(`${app.url}/0`)).text()).toBe('/0');
        const client = await rawClient(app.url);
        client.write(get('/1') + get('/2'));
        await Promise.all([...entered.values()].map((deferred) => deferred.promise));
        await client.hangUp();
        await connectionGone.promise;
        finish.resolve();
        await until(() => resets.length === 3);
        expect(resets.sort()).toEqual(['/0', '/1', '/2']);
      } finally {
        removeCallback();
      }
    });
  });

  describe(`${adapter.name}: the lock, Rack::Lock's checklist`, () => {
    test('releases once on every path: answered, thrown, a client gone mid-handler', async () => {
      const clientGone = createDeferred();
      const mayEnd = createDeferred();
      const app = await start({
        lock: {},
        route: async (call) => {
          if (call.path === '/throws') throw new Error('thrown');
          if (call.path === '/abandoned') {
            call.onClose(() => clientGone.resolve());
            call.write('started');
            await mayEnd.promise;
          }
          call.end('ok');
        },
        onError: (error) => (error as Error).message,
      });
      expect(await (await fetch(`${app.url}/ok`)).text()).toBe('ok');
      expect(await (await fetch(`${app.url}/throws`)).text()).toBe('thrown');
      const client = await rawClient(app.url);
      client.write(get('/abandoned'));
      await client.receivedText('started');
      const next = fetch(`${app.url}/next`).then((response) => response.text());
      await until(() => app.lockStats().queued === 1);
      await client.hangUp();
      await clientGone.promise;
      expect(app.lockStats().active).toBe(1);
      mayEnd.resolve();
      expect(await next).toBe('ok');
      await until(() => app.lockStats().active === 0);
      expect(app.lockStats()).toMatchObject({ acquired: 4, keys: 0, releasedAfterDisconnect: 1, releasedByBound: 0 });
    });

    test('answers 503 with a whole-seconds Retry-After when the queue is full, and a timed-out request', async () => {
      const finish = createDeferred();
      const app = await start({
        // Long enough that /full arrives while /timed-out still queues, also on a busy machine.
        lock: { maxQueue: 1, timeoutMs: 1000, retryAfterSeconds: 3 },
        route: async (call) => {
          if (call.path === '/holder') await finish.promise;
          call.end(call.path);
        },
      });
      const holder = fetch(`${app.url}/holder`);
      await until(() => app.lockStats().active === 1);
      const timedOut = fetch(`${app.url}/timed-out`);
      await until(() => app.lockStats().queued === 1);
      const full = await fetch(`${app.url}/full`);
      expect([full.status, full.headers.get('retry-after')]).toEqual([503, '3']);
      const late = await timedOut;
      expect([late.status, late.headers.get('retry-after')]).toEqual([503, '3']);
      finish.resolve();
      expect(await (await holder).text()).toBe('/holder');
      // The client can read the answer before the server sees its response close.
      await until(() => app.lockStats().active === 0);
      expect(app.lockStats()).toMatchObject({ rejected: 1, timedOut: 1, active: 0 });
    });

    test('never runs a queued request whose client left, pipelined or not, and ends its scope at once', async () => {
      const reached: string[] = [];
      const resets: string[] = [];
      const removeCallback = Current.beforeReset(() => resets.push(Current.locale));
      const finish = createDeferred();
      try {
        const app = await start({
          lock: {},
          // Infinity: only the adapter's knowing that a request never runs can end its scope.
          scope: {
            abandonedHoldMs: Number.POSITIVE_INFINITY,
            setup: (path) => {
              Current.locale = path;
            },
          },
          route: async (call) => {
            reached.push(call.path);
            if (call.path === '/holder') await finish.promise;
            call.end(call.path);
          },
        });
        const holder = fetch(`${app.url}/holder`);
        await until(() => app.lockStats().active === 1);
        const client = await rawClient(app.url);
        client.write(get('/gone'));
        const pipelined = await rawClient(app.url);
        pipelined.write(get('/pipelined-first') + get('/pipelined-second'));
        await until(() => app.lockStats().queued === 3);
        await Promise.all([client.hangUp(), pipelined.hangUp()]);
        await until(() => app.lockStats().queued === 0);
        if (adapter.endsScopeOfLeftWaiter) await until(() => resets.length === 3);
        expect(resets.sort()).toEqual(
          adapter.endsScopeOfLeftWaiter ? ['/gone', '/pipelined-first', '/pipelined-second'] : [],
        );
        finish.resolve();
        await holder;
        expect(await (await fetch(`${app.url}/after`)).text()).toBe('/after');
        expect(reached).toEqual(['/holder', '/after']);
        expect(app.lockStats()).toMatchObject({ active: 0, abandoned: 3 });
      } finally {
        removeCallback();
      }
    });
  });
}
