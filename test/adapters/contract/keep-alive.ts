import { createDeferred } from 'current-attributes/testing';
import { afterEach, describe, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';
import { get, type RawClient, rawClient } from '../../support/raw-client.js';
import { until } from '../../support/until.js';
import type { AdapterUnderTest, ContractApp, StartedApp } from './contract.js';

/**
 * Opens a connection and has it serve one request first: on such a
 * connection the library follows a request through the connection (the
 * response-finish channel and one `'close'` listener per connection) rather
 * than through a listener on the response, so every end-of-request path is
 * proven again here, where most requests of a keep-alive server run.
 */
async function servedConnection(url: string): Promise<RawClient> {
  const client = await rawClient(url);
  client.write(get('/warm'));
  await client.receivedText('=/warm');
  return client;
}

/** What every adapter must do on a keep-alive connection that already served a request. */
export function describeKeepAliveContract(adapter: AdapterUnderTest): void {
  let started: StartedApp | undefined;
  let removeCallback: (() => void) | undefined;
  const resets: string[] = [];
  const start = async (app: ContractApp) => {
    resets.length = 0;
    removeCallback = Current.beforeReset(() => resets.push(Current.locale));
    started = await adapter.start(app);
    return started;
  };
  afterEach(async () => {
    removeCallback?.();
    await started?.close();
    started = undefined;
  });
  const answer = (path: string) => `=${path}`;

  describe(`${adapter.name}: on a keep-alive connection that already served a request`, () => {
    test("ends each sent response once, after its 'finish' listeners read its values", async () => {
      const finished: string[] = [];
      const app = await start({
        route: async (call) => {
          Current.locale = call.path;
          call.onFinish(() => finished.push(`${call.path} finished as ${Current.locale}`));
          await new Promise((resolve) => setImmediate(resolve));
          call.end(answer(call.path));
        },
      });
      const client = await servedConnection(app.url);
      for (const path of ['/second', '/third']) {
        client.write(get(path));
        await client.receivedText(answer(path));
      }
      await until(() => resets.length === 3);
      expect(resets).toEqual(['/warm', '/second', '/third']);
      expect(finished).toEqual(['/warm finished as /warm', '/second finished as /second', '/third finished as /third']);
      await client.hangUp();
      await new Promise((resolve) => setImmediate(resolve));
      expect(resets).toHaveLength(3);
    });

    test('keeps the values of a request whose client hung up mid-handler or mid-response until its handler ends', async () => {
      const paths = ['/mid-handler', '/mid-response'];
      const entered = new Map(paths.map((path) => [path, createDeferred()]));
      const gone = new Map(paths.map((path) => [path, createDeferred()]));
      const finish = createDeferred();
      const seenAfterHangUp: string[] = [];
      const app = await start({
        route: async (call) => {
          Current.locale = call.path;
          const arrived = entered.get(call.path);
          if (arrived !== undefined) {
            call.onClose(() => gone.get(call.path)?.resolve());
            if (call.path === '/mid-response') call.write('started');
            arrived.resolve();
            await finish.promise;
            seenAfterHangUp.push(Current.locale);
          }
          call.end(answer(call.path));
        },
      });
      const clients = await Promise.all(paths.map(() => servedConnection(app.url)));
      for (const [index, client] of clients.entries()) client.write(get(paths[index] as string));
      await Promise.all([...entered.values()].map((deferred) => deferred.promise));
      await clients[1]?.receivedText('started');
      await Promise.all(clients.map((client) => client.hangUp()));
      // The server saw both clients leave: the response's own 'close' has come.
      await Promise.all([...gone.values()].map((deferred) => deferred.promise));
      expect(resets.sort()).toEqual(['/warm', '/warm']);
      finish.resolve();
      await until(() => resets.length === 4);
      expect(seenAfterHangUp.sort()).toEqual(['/mid-handler', '/mid-response']);
      expect(resets.sort()).toEqual(['/mid-handler', '/mid-response', '/warm', '/warm']);
    });

    test('ends pipelined requests once when their connection dies, the queued one included', async () => {
      const entered = { '/first': createDeferred(), '/queued': createDeferred() };
      const finish = createDeferred();
      const app = await start({
        route: async (call) => {
          Current.locale = call.path;
          entered[call.path as keyof typeof entered]?.resolve();
          if (call.path !== '/warm') await finish.promise;
          call.end(answer(call.path));
        },
      });
      const client = await servedConnection(app.url);
      client.write(get('/first') + get('/queued'));
      await Promise.all([entered['/first'].promise, entered['/queued'].promise]);
      await client.hangUp();
      finish.resolve();
      await until(() => resets.length === 3);
      expect(resets.sort()).toEqual(['/first', '/queued', '/warm']);
    });

    test('holds the lock of a request whose client hung up until its handler ends, and releases it once', async () => {
      const entered = createDeferred();
      const gone = createDeferred();
      const mayEnd = createDeferred();
      const app = await start({
        lock: {},
        route: async (call) => {
          Current.locale = call.path;
          if (call.path === '/abandoned') {
            call.onClose(() => gone.resolve());
            entered.resolve();
            await mayEnd.promise;
          }
          call.end(answer(call.path));
        },
      });
      const client = await servedConnection(app.url);
      client.write(get('/abandoned'));
      await entered.promise;
      await client.hangUp();
      await gone.promise;
      expect(app.lockStats().active).toBe(1);
      mayEnd.resolve();
      await until(() => app.lockStats().active === 0);
      const next = await servedConnection(app.url);
      next.write(get('/after'));
      await next.receivedText(answer('/after'));
      await next.hangUp();
      expect(app.lockStats()).toMatchObject({ acquired: 4, active: 0, releasedAfterDisconnect: 1, releasedByBound: 0 });
      await until(() => resets.length === 4);
      expect(resets.sort()).toEqual(['/abandoned', '/after', '/warm', '/warm']);
    });
  });
}
