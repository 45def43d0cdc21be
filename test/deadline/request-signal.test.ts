import {
  ClientDisconnectedError,
  type DeadlineExceededError,
  defineCurrent,
  remainingMs,
  requestSignal,
} from 'current-attributes';
import { currentMiddleware } from 'current-attributes/express';
import { withCurrent } from 'current-attributes/http';
import { KeyedMutex, LockAbortedError } from 'current-attributes/lock';
import { createPropagator, propagateHttp } from 'current-attributes/propagation';
import { createDeferred } from 'current-attributes/testing';
import express from 'express';
import { afterEach, describe, expect, test } from 'vitest';
import { listen, type RunningServer } from '../support/listen.js';
import { rawClient } from '../support/raw-client.js';

class Attributes {
  requestId?: string;
}
const Current = defineCurrent(Attributes, { name: 'DeadlineCurrent', travel: { requestId: true } });
const SECRET = 'the secret two services share, 32 bytes or more';

const servers: RunningServer[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  for (const server of servers.splice(0)) await server.close();
});

async function serve(handler: Parameters<typeof listen>[0]): Promise<string> {
  const server = await listen(handler);
  servers.push(server);
  return server.url;
}

describe('requestSignal', () => {
  test('is undefined outside a request and in Current.run, and the same signal everywhere in one request', async () => {
    expect(requestSignal()).toBeUndefined();
    expect(Current.run(() => requestSignal())).toBeUndefined();
    expect(remainingMs()).toBe(Number.POSITIVE_INFINITY);
    const url = await serve(
      withCurrent(async (_req, res) => {
        const first = requestSignal();
        const later = await Current.set({ requestId: 'x' }, async () => requestSignal());
        res.end(String(first !== undefined && first === later && !first.aborted));
      }),
    );
    expect(await (await fetch(url)).text()).toBe('true');
  });

  test('aborts with ClientDisconnectedError when the client hangs up mid-handler', async () => {
    const entered = createDeferred();
    const reason = createDeferred<unknown>();
    const url = await serve(
      withCurrent((_req, res) => {
        const signal = requestSignal() as AbortSignal;
        signal.addEventListener('abort', () => {
          reason.resolve(signal.reason);
          res.end();
        });
        entered.resolve();
      }),
    );
    const client = await rawClient(url);
    client.write('GET / HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    await entered.promise;
    await client.hangUp();
    expect(await reason.promise).toBeInstanceOf(ClientDisconnectedError);
  });

  test('read for the first time after the client left, it is already aborted', async () => {
    const entered = createDeferred();
    const readLate = createDeferred();
    const seen = createDeferred<unknown>();
    const closed = createDeferred();
    const url = await serve(
      withCurrent(async (_req, res) => {
        // Added after the adapter's own listener, so it runs once the adapter saw the hang-up.
        res.once('close', () => closed.resolve());
        entered.resolve();
        await readLate.promise;
        seen.resolve(requestSignal()?.reason);
        res.end();
      }),
    );
    const client = await rawClient(url);
    client.write('GET / HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    await entered.promise;
    await client.hangUp();
    await closed.promise;
    readLate.resolve();
    expect(await seen.promise).toBeInstanceOf(ClientDisconnectedError);
  });

  test('aborts with DeadlineExceededError when the adapter’s deadlineMs passes', async () => {
    const url = await serve(
      withCurrent(
        async (_req, res) => {
          const signal = requestSignal() as AbortSignal;
          await new Promise((resolve) => signal.addEventListener('abort', resolve));
          const reason = signal.reason as DeadlineExceededError;
          res.end(`${reason.name} ${reason.deadlineMs}`);
        },
        { deadlineMs: 30 },
      ),
    );
    expect(await (await fetch(url)).text()).toBe('DeadlineExceededError 30');
  });

  test('stops waiting for a lock when the request’s deadline passes (recipe)', async () => {
    const locks = new KeyedMutex();
    const held = await locks.acquire('report');
    const url = await serve(
      withCurrent(
        async (_req, res) => {
          try {
            await locks.acquire('report', { signal: requestSignal() });
            res.end('got the lock');
          } catch (error) {
            res.statusCode = 503;
            res.end(`${(error as Error).name}: ${((error as Error).cause as Error)?.name}`);
          }
        },
        { deadlineMs: 30 },
      ),
    );
    const answer = await fetch(url);
    expect([answer.status, await answer.text()]).toEqual([503, 'LockAbortedError: DeadlineExceededError']);
    expect(locks.stats.queued).toBe(0);
    await held.release();
    expect(LockAbortedError).toBeDefined();
  });
});

describe('the deadline travels', () => {
  test('B takes the smaller of its own deadline and the remaining time A sent, from a trusted caller only', async () => {
    const propagator = createPropagator({ trust: { secret: SECRET }, currents: [Current] });
    const urlB = await serve(
      withCurrent((_req, res) => res.end(String(remainingMs())), { propagator, deadlineMs: 60_000 }),
    );
    cleanups.push(propagateHttp(propagator, { origins: [urlB] }));
    const app = express();
    app.use(currentMiddleware({ propagator, deadlineMs: 5_000 }));
    app.get('/', async (_req, res) => {
      Current.requestId = 'r';
      res.send(await (await fetch(urlB)).text());
    });
    const urlA = await serve(app);
    const remainingInB = Number(await (await fetch(urlA)).text());
    expect(remainingInB).toBeGreaterThan(0);
    expect(remainingInB).toBeLessThanOrEqual(5_000);
    // An outside client's timeout is not taken: B keeps its own 60 s.
    const direct = Number(await (await fetch(urlB, { headers: { baggage: 'ca.timeout=1' } })).text());
    expect(direct).toBeGreaterThan(5_000);
    expect(propagator.stats.rejected.unsigned).toBe(1);
  });

  test('a fetch made in the request is aborted with it: the downstream sees its request closed', async () => {
    const propagator = createPropagator({ trust: { secret: SECRET }, currents: [Current] });
    const downstreamClosed = createDeferred();
    const urlB = await serve((req) => {
      // Never answers: only the abort ends this request.
      req.socket.once('close', () => downstreamClosed.resolve());
    });
    cleanups.push(propagateHttp(propagator, { origins: [urlB] }));
    const app = express();
    app.use(currentMiddleware({ propagator, deadlineMs: 50 }));
    app.get('/', async (_req, res) => {
      try {
        await fetch(urlB);
        res.send('answered');
      } catch (error) {
        res.status(504).send(String((error as Error).cause));
      }
    });
    const urlA = await serve(app);
    const answer = await fetch(urlA);
    expect(answer.status).toBe(504);
    expect(await answer.text()).toMatch(/DeadlineExceededError/);
    await downstreamClosed.promise;
  });
});
