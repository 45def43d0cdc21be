import { globalLock, lockSignal, ResponseClosedError } from 'current-attributes/express';
import { createDeferred, trackConcurrency } from 'current-attributes/testing';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterEach, describe, expect, test } from 'vitest';
import { listen, type RunningServer } from '../../support/listen.js';
import { get, rawClient } from '../../support/raw-client.js';
import { until } from '../../support/until.js';
import { captureWarnings } from '../../support/warnings.js';

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
 * An app behind `lock` whose `/abandoned` handler writes a first chunk, then
 * waits for the test before it finishes with `finish`; `/next` answers at once.
 */
async function appWithAbandonedHandler(
  lock: ReturnType<typeof globalLock>,
  finish: (req: Request, res: Response, next: NextFunction) => void,
) {
  const clientGone = createDeferred();
  const handlerMayFinish = createDeferred();
  const events: string[] = [];
  let signal: AbortSignal | undefined;
  const app = express();
  app.use(lock);
  app.get('/abandoned', async (req, res, next) => {
    signal = lockSignal(req);
    res.on('close', () => clientGone.resolve());
    res.write('started');
    await handlerMayFinish.promise;
    events.push('abandoned handler finishing');
    finish(req, res, next);
  });
  app.get('/next', (_req, res) => {
    events.push('next request entered');
    res.send('next');
  });
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    events.push(`error handler: ${error.message}`);
    res.status(500).end();
  });
  const url = await start(app);

  const client = await rawClient(url);
  client.write(get('/abandoned'));
  await client.receivedText('started');
  const next = fetch(`${url}/next`).then((response) => response.text());
  await until(() => lock.stats.queued === 1);
  await client.hangUp();
  await clientGone.promise;
  return { events, next, signal: () => signal, finishHandler: () => handlerMayFinish.resolve() };
}

describe('globalLock when a holder’s client hangs up mid-handler', () => {
  test('keeps the lock until the handler ends the response, so the next request never runs beside it', async () => {
    const lock = globalLock();
    const run = await appWithAbandonedHandler(lock, (_req, res) => res.end('nobody reads this'));

    expect(lock.stats).toMatchObject({ active: 1, queued: 1 });
    expect(run.signal()?.aborted).toBe(true);
    expect(run.signal()?.reason).toBeInstanceOf(ResponseClosedError);
    run.finishHandler();
    expect(await run.next).toBe('next');
    expect(run.events).toEqual(['abandoned handler finishing', 'next request entered']);
    expect(lock.stats).toMatchObject({ active: 0, releasedAfterDisconnect: 1, releasedByBound: 0 });
  });

  test('keeps the lock until the error handler has answered a next(error) nobody will read', async () => {
    const lock = globalLock();
    const run = await appWithAbandonedHandler(lock, (_req, _res, next) => next(new Error('gave up')));

    run.finishHandler();
    expect(await run.next).toBe('next');
    expect(run.events).toEqual(['abandoned handler finishing', 'error handler: gave up', 'next request entered']);
    expect(lock.stats).toMatchObject({ active: 0, releasedAfterDisconnect: 1 });
  });

  test('releases after abandonedHoldMs when the handler never ends the response, with a warning and a count', async () => {
    const lock = globalLock({ abandonedHoldMs: 20 });
    const warnings = captureWarnings();
    const run = await appWithAbandonedHandler(lock, () => undefined);
    expect(await run.next).toBe('next');
    expect(lock.stats).toMatchObject({ active: 0, releasedAfterDisconnect: 0, releasedByBound: 1 });
    await until(() => warnings.length === 1);
    expect(warnings).toEqual([
      {
        name: 'Warning',
        code: 'CURRENT_ATTRIBUTES_LOCK_ABANDONED',
        message: expect.stringMatching(/^Released lock `global` 20 ms after its client hung up/),
      },
    ]);
    run.finishHandler();
  });
});

describe('globalLock for a request whose client left before the lock middleware ran', () => {
  test('takes the free key and gives it back at once, never running the handler', async () => {
    const lock = globalLock();
    const arrived = createDeferred();
    const clientGone = createDeferred();
    const mayGoOn = createDeferred();
    const reached: string[] = [];
    const app = express();
    app.use(async (req, res, next) => {
      if (req.path === '/slow-start') {
        res.on('close', () => clientGone.resolve());
        arrived.resolve();
        await mayGoOn.promise;
      }
      next();
    });
    app.use(lock);
    app.get('/:name', (req, res) => {
      reached.push(req.params.name as string);
      res.send('ok');
    });
    const url = await start(app);

    const client = await rawClient(url);
    client.write(get('/slow-start'));
    await arrived.promise;
    await client.hangUp();
    await clientGone.promise;
    mayGoOn.resolve();
    await until(() => lock.stats.abandoned === 1);
    expect(await (await fetch(`${url}/after`)).text()).toBe('ok');
    expect(reached).toEqual(['after']);
    expect(lock.stats).toMatchObject({ active: 0, acquired: 2, abandoned: 1 });
  });
});

describe('globalLock under client aborts', () => {
  test('never lets two handlers in at once when every tenth client hangs up mid-handler', async () => {
    const lock = globalLock();
    const section = trackConcurrency();
    const app = express();
    app.use(lock);
    app.get('/:index', (req, res) =>
      section.run(async () => {
        res.write('started ');
        // A client that hangs up does so after this chunk: its handler goes on working after the close.
        if (req.get('x-hangs-up')) await new Promise((resolve) => res.on('close', resolve));
        for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
        res.end(req.params.index);
      }),
    );
    const url = await start(app);

    const requests = Array.from({ length: 200 }, async (_, index) => {
      const client = await rawClient(url);
      const hangsUp = index % 10 === 0;
      client.write(get(`/${index}`, hangsUp ? { connection: 'close', 'x-hangs-up': 'yes' } : { connection: 'close' }));
      if (hangsUp) {
        await client.receivedText('started');
        await client.hangUp();
        return 'hung up';
      }
      await client.receivedText(String(index));
      return 'answered';
    });
    const outcomes = await Promise.all(requests);
    await until(() => lock.stats.active === 0);
    expect(outcomes.filter((outcome) => outcome === 'hung up')).toHaveLength(20);
    expect(section.maxConcurrent).toBe(1);
    expect(lock.stats.releasedByBound).toBe(0);
  });
});
