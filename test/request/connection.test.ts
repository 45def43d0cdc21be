import type { IncomingMessage, ServerResponse } from 'node:http';
import { withCurrent } from 'current-attributes/http';
import { createDeferred } from 'current-attributes/testing';
import { afterEach, describe, expect, test } from 'vitest';
import { Current } from '../support/fixtures.js';
import { listen, type RunningServer } from '../support/listen.js';
import { get, rawClient } from '../support/raw-client.js';
import { until } from '../support/until.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

let server: RunningServer | undefined;
let removeCallback: (() => void) | undefined;
const resets: string[] = [];

/** Serves `route` behind `withCurrent`, `Current.locale` set to the path; `before` runs first, outside the adapter. */
async function serve(
  route: Handler,
  before?: (req: IncomingMessage, res: ServerResponse, adapter: Handler) => unknown,
) {
  resets.length = 0;
  removeCallback = Current.beforeReset(() => resets.push(Current.locale));
  const adapter = withCurrent(route, {
    setup: (req) => {
      Current.locale = req.url ?? '/';
    },
  });
  server = await listen(before === undefined ? adapter : (req, res) => before(req, res, adapter));
  return server.url;
}

afterEach(async () => {
  removeCallback?.();
  await server?.close();
  server = undefined;
});

describe('a request on a keep-alive connection that already served one', () => {
  test("is followed through its connection: its response gets no 'close' listener of the library", async () => {
    const listeners: number[] = [];
    const url = await serve((req, res) => {
      listeners.push(res.listenerCount('close'));
      res.end(`=${req.url}`);
    });
    const client = await rawClient(url);
    for (const path of ['/first', '/second', '/third']) {
      client.write(get(path));
      await client.receivedText(`=${path}`);
    }
    expect(listeners).toEqual([1, 0, 0]);
    await until(() => resets.length === 3);
    expect(resets).toEqual(['/first', '/second', '/third']);
  });

  test('ends once when its client left before the adapter ran', async () => {
    const gone = createDeferred();
    const reached: string[] = [];
    const url = await serve(
      (req, res) => {
        reached.push(Current.locale);
        res.end(`=${req.url}`);
      },
      async (req, res, adapter) => {
        if (req.url === '/late') {
          // The adapter runs only once the connection is gone, as behind a slow middleware.
          await new Promise((resolve) => req.socket.once('close', resolve));
          gone.resolve();
        }
        return adapter(req, res);
      },
    );
    const client = await rawClient(url);
    client.write(get('/warm'));
    await client.receivedText('=/warm');
    client.write(get('/late'));
    await until(() => resets.length === 1);
    await client.hangUp();
    await gone.promise;
    await until(() => resets.length === 2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(resets).toEqual(['/warm', '/late']);
    expect(reached).toEqual(['/warm', '/late']);
  });

  test('still ends its own request after a response the adapter never saw', async () => {
    const url = await serve(
      (req, res) => res.end(`=${req.url}`),
      (req, res, adapter) => (req.url === '/bypass' ? res.end('=/bypass') : adapter(req, res)),
    );
    const client = await rawClient(url);
    for (const path of ['/first', '/bypass', '/third']) {
      client.write(get(path));
      await client.receivedText(`=${path}`);
    }
    await until(() => resets.length === 2);
    expect(resets).toEqual(['/first', '/third']);
  });
});
