import { createDeferred } from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';
import { get, rawClient } from '../../support/raw-client.js';
import { until } from '../../support/until.js';
import type { AdapterUnderTest, ContractApp, Rejection, StartedApp } from './types.js';

/** The lock at its edges: clients gone before it is taken, answers to refused requests, dead pipelines. */
export function describeLockEdges(adapter: AdapterUnderTest, start: (app: ContractApp) => Promise<StartedApp>): void {
  describe(`${adapter.name}: the lock at its edges`, () => {
    test.each(['free', 'busy'])(
      'settles at once a request whose client left before the lock was taken, the key %s',
      async (key) => {
        if (!adapter.endsScopeOfLeftWaiter) return;
        const resets: string[] = [];
        const reached: string[] = [];
        const resumed: string[] = [];
        const removeCallback = Current.beforeReset(() => resets.push(Current.locale));
        const entered = createDeferred();
        const clientGone = createDeferred();
        const mayGoOn = createDeferred();
        const finishHolder = createDeferred();
        try {
          const app = await start({
            lock: {},
            // Infinity: only the adapter's knowing that the request never runs can end its scope.
            scope: {
              abandonedHoldMs: Number.POSITIVE_INFINITY,
              setup: (path) => {
                Current.locale = path;
              },
            },
            aroundLock: {
              before: async (call) => {
                if (call.path !== '/left') return;
                call.onClose(() => clientGone.resolve());
                entered.resolve();
                await mayGoOn.promise;
              },
              after: (call) => resumed.push(call.path),
            },
            route: async (call) => {
              reached.push(call.path);
              if (call.path === '/holder') await finishHolder.promise;
              call.end(call.path);
            },
          });
          const holder = key === 'busy' ? fetch(`${app.url}/holder`) : undefined;
          if (holder !== undefined) await until(() => app.lockStats().active === 1);
          const client = await rawClient(app.url);
          client.write(get('/left'));
          await entered.promise;
          await client.hangUp();
          await clientGone.promise;
          mayGoOn.resolve();
          await until(() => resets.includes('/left'));
          if (adapter.resumesAroundLock) await until(() => resumed.includes('/left'));
          finishHolder.resolve();
          await holder;
          expect(reached).toEqual(holder === undefined ? [] : ['/holder']);
          await until(() => app.lockStats().active === 0);
          expect(app.lockStats()).toMatchObject({ abandoned: 1, keys: 0 });
        } finally {
          removeCallback();
        }
      },
    );

    test.each<[Rejection, number, string]>([
      ['throws', 500, 'rethrown LockQueueFullError'],
      ['rejects', 500, 'rethrown LockQueueFullError'],
      ['answers-nothing', 503, 'queue'],
      ['sets-status', 429, 'queue'],
    ])('answers a refused request whose onRejected %s: %i', async (rejection, status, text) => {
      if (adapter.takesOnRejected === false) return;
      const answersItself = rejection === 'throws' || rejection === 'rejects';
      if (!answersItself && adapter.answersForOnRejected === false) return;
      const finish = createDeferred();
      const app = await start({
        lock: { maxQueue: 0, onRejected: rejection },
        route: async (call) => {
          if (call.path === '/holder') await finish.promise;
          call.end(call.path);
        },
        onError: (error) => (error as Error).message,
      });
      const holder = fetch(`${app.url}/holder`);
      await until(() => app.lockStats().active === 1);
      const refused = await fetch(`${app.url}/refused`);
      expect(refused.status).toBe(status);
      expect(await refused.text()).toContain(text);
      finish.resolve();
      expect(await (await holder).text()).toBe('/holder');
    });

    test('releases the locks of pipelined requests whose handlers ended their responses after the connection died', async () => {
      const ended: string[] = [];
      const mayEnd = createDeferred();
      const connectionGone = createDeferred();
      const app = await start({
        lock: { key: (path) => path },
        route: async (call) => {
          if (call.path === '/1') call.onClose(() => connectionGone.resolve());
          await mayEnd.promise;
          call.end(call.path);
          ended.push(call.path);
        },
      });
      const client = await rawClient(app.url);
      client.write(['/1', '/2', '/3', '/4'].map((path) => get(path)).join(''));
      await until(() => app.lockStats().active === 4);
      await client.hangUp();
      await connectionGone.promise;
      mayEnd.resolve();
      await until(() => ended.length === 4);
      await until(() => app.lockStats().active === 0);
      expect(app.lockStats()).toMatchObject({ keys: 0, releasedAfterDisconnect: 4, releasedByBound: 0 });
    });

    test('releases at once the locks of pipelined handlers that end their responses when their lock signal aborts', async () => {
      const finish = createDeferred();
      const app = await start({
        lock: { key: (path) => path },
        route: async (call) => {
          // As the lock's docs advise: stop and end the response when the signal aborts, here from its 'abort' event.
          const stopped = new Promise<void>((resolve) => {
            call.lockSignal()?.addEventListener('abort', () => {
              call.end('stopped');
              resolve();
            });
          });
          await Promise.race([finish.promise, stopped]);
        },
      });
      try {
        const client = await rawClient(app.url);
        client.write(['/1', '/2', '/3'].map((path) => get(path)).join(''));
        await until(() => app.lockStats().active === 3);
        await client.hangUp();
        await until(() => app.lockStats().active === 0);
        expect(app.lockStats()).toMatchObject({ keys: 0, releasedAfterDisconnect: 3, releasedByBound: 0 });
      } finally {
        finish.resolve();
      }
    });

    test('adds at most one listener to a connection that pipelines 12 requests through a lock', async () => {
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on('warning', onWarning);
      const listeners: number[] = [];
      const finish = createDeferred();
      try {
        const app = await start({
          lock: { key: (path) => path },
          route: async (call) => {
            listeners.push(call.socket.listenerCount('close'));
            await finish.promise;
            call.end(call.path);
          },
        });
        const client = await rawClient(app.url);
        const paths = Array.from({ length: 12 }, (_, index) => `/locked-${index}`);
        client.write(paths.map((path) => get(path)).join(''));
        await until(() => listeners.length === 12);
        finish.resolve();
        await client.receivedText('/locked-11');
        await client.hangUp();
        expect(Math.max(...listeners) - Math.min(...listeners)).toBeLessThanOrEqual(1);
        expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
      } finally {
        process.off('warning', onWarning);
      }
    });
  });
}
