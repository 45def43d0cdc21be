import { createDeferred } from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';
import { get, rawClient } from '../../support/raw-client.js';
import { until } from '../../support/until.js';
import { captureWarnings } from '../../support/warnings.js';
import type { AdapterUnderTest, ContractApp, StartedApp } from './types.js';

/** Enough 64 KiB chunks to fill the socket's buffers, so the body waits for `'drain'` between them. */
const CHUNKS = 40;
const CHUNK = 'x'.repeat(64 * 1024);

/** Turns of the event loop in which a lock released at the hang-up would have let the next request in. */
async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Streamed bodies: produced in the request's scope, and inside its lock until their production ends. */
export function describeStreamedResponses(
  adapter: AdapterUnderTest,
  start: (app: ContractApp) => Promise<StartedApp>,
): void {
  describe(`${adapter.name}: streamed responses`, () => {
    test('produces a streamed body in the request’s scope, also after the socket made it wait', async () => {
      const seen = new Map<string, Set<string>>();
      const app = await start({
        scope: {
          setup: (path) => {
            Current.locale = path;
          },
        },
        route: (call) => {
          const steps = new Set<string>();
          seen.set(call.path, steps);
          call.stream(async function* () {
            for (let index = 0; index < CHUNKS; index += 1) {
              steps.add(Current.isActive ? Current.locale : 'no scope');
              await new Promise((resolve) => setImmediate(resolve));
              yield CHUNK;
            }
            steps.add(Current.isActive ? Current.locale : 'no scope');
          });
        },
      });
      const bodies = await Promise.all(
        ['/ada', '/bob'].map(async (path) => (await (await fetch(`${app.url}${path}`)).text()).length),
      );
      expect(bodies).toEqual([CHUNKS * CHUNK.length, CHUNKS * CHUNK.length]);
      expect(Object.fromEntries([...seen].map(([path, steps]) => [path, [...steps]]))).toEqual({
        '/ada': ['/ada'],
        '/bob': ['/bob'],
      });
    });

    test('holds the lock after a hang-up mid-stream until the body’s producer has stopped', async () => {
      let producing = false;
      const seenByNext: boolean[] = [];
      const clientGone = createDeferred();
      const mayGoOn = createDeferred();
      const producerStopped = createDeferred();
      const app = await start({
        lock: {},
        route: (call) => {
          if (call.path === '/next') {
            seenByNext.push(producing);
            call.end('next');
            return;
          }
          call.onClose(() => clientGone.resolve());
          call.stream(async function* () {
            producing = true;
            try {
              yield 'started';
              // Still producing after the hang-up: a lock released now lets /next in beside it.
              await mayGoOn.promise;
              yield 'after the hang-up';
            } finally {
              producing = false;
              producerStopped.resolve();
            }
          });
        },
      });
      const client = await rawClient(app.url);
      client.write(get('/streamed'));
      await client.receivedText('started');
      const next = fetch(`${app.url}/next`).then((response) => response.text());
      await until(() => app.lockStats().queued === 1);
      await client.hangUp();
      await clientGone.promise;
      await turns(20);
      expect([app.lockStats().active, seenByNext]).toEqual([1, []]);
      mayGoOn.resolve();
      await producerStopped.promise;
      expect(await next).toBe('next');
      expect(seenByNext).toEqual([false]);
      await until(() => app.lockStats().active === 0);
      expect(app.lockStats()).toMatchObject({ releasedAfterDisconnect: 1, releasedByBound: 0 });
    });

    test('after a hang-up mid-handler, never lets the next request in beside the body the handler then streams', async () => {
      const warnings = captureWarnings();
      let producing = false;
      const seenByNext: boolean[] = [];
      const entered = createDeferred();
      const clientGone = createDeferred();
      const mayAnswer = createDeferred();
      const mayGoOn = createDeferred();
      const app = await start({
        // Where nothing says the handler is done (Express) and Node refuses to pipe into the closed
        // response (Node 24: ERR_STREAM_UNABLE_TO_PIPE, no 'pipe' event), only the bound ends the hold.
        lock: { abandonedHoldMs: 3000 },
        route: async (call) => {
          if (call.path === '/next') {
            seenByNext.push(producing);
            call.end('next');
            return;
          }
          call.onClose(() => clientGone.resolve());
          entered.resolve();
          await mayAnswer.promise;
          call.stream(async function* () {
            producing = true;
            try {
              await mayGoOn.promise;
              yield 'never read';
            } finally {
              producing = false;
            }
          });
        },
      });
      const client = await rawClient(app.url);
      client.write(get('/streamed'));
      await entered.promise;
      const next = fetch(`${app.url}/next`).then((response) => response.text());
      await until(() => app.lockStats().queued === 1);
      await client.hangUp();
      await clientGone.promise;
      mayAnswer.resolve();
      // The framework may never read a body whose client is gone: then nothing produces and the lock is free.
      await turns(20);
      mayGoOn.resolve();
      expect(await next).toBe('next');
      expect(seenByNext).toEqual([false]);
      await until(() => app.lockStats().active === 0);
      if (adapter.knowsHandlerEnd !== false) {
        expect(app.lockStats()).toMatchObject({ releasedAfterDisconnect: 1, releasedByBound: 0 });
      }
      // Each release by the bound says so once; a release at the production's end says nothing.
      const { releasedByBound } = app.lockStats();
      expect(warnings.map((warning) => warning.code)).toEqual(
        Array.from({ length: releasedByBound }, () => 'CURRENT_ATTRIBUTES_LOCK_ABANDONED'),
      );
    });
  });
}
