import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { currentMiddleware, globalLock, keyedLock } from 'current-attributes/express';
import { createDeferred, type Deferred } from 'current-attributes/testing';
import express, { type Express } from 'express';
import { afterEach, describe, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';
import { listen, type RunningServer } from '../../support/listen.js';
import { get, rawClient } from '../../support/raw-client.js';
import { until } from '../../support/until.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(app: Express) {
  server = await listen(app);
  return server.url;
}

/** Meeting points by name, each a deferred made on first use, so a handler and the test can meet at one. */
function meetingPoints() {
  const points = new Map<string, Deferred<void>>();
  return (name: string) => {
    let point = points.get(name);
    if (point === undefined) {
      point = createDeferred();
      points.set(name, point);
    }
    return point;
  };
}

describe('a pipelined request whose connection dies while its response waits behind another', () => {
  test('leaves the global lock queue, and the lock is free once the first handler ends', async () => {
    const lock = globalLock();
    const at = meetingPoints();
    const reached: string[] = [];
    const app = express();
    app.use(lock);
    app.get('/slow', async (_req, res) => {
      reached.push('slow');
      res.on('close', () => at('slow closed').resolve());
      at('slow entered').resolve();
      await at('finish slow').promise;
      res.end('slow');
    });
    app.get('/fast', (_req, res) => {
      reached.push('fast');
      res.end('fast');
    });
    const url = await start(app);

    const client = await rawClient(url);
    client.write(get('/slow') + get('/fast'));
    await at('slow entered').promise;
    await until(() => lock.stats.queued === 1);
    await client.hangUp();
    await at('slow closed').promise;
    await until(() => lock.stats.queued === 0);
    at('finish slow').resolve();
    await until(() => lock.stats.active === 0);
    expect(await (await fetch(`${url}/fast`)).text()).toBe('fast');
    expect(reached).toEqual(['slow', 'fast']);
    expect(lock.stats).toMatchObject({ active: 0, queued: 0, keys: 0, abandoned: 1, releasedAfterDisconnect: 1 });
  });

  test('releases a keyed lock its handler took, once the handler ends the response nobody will read', async () => {
    const lock = keyedLock({ key: (req) => req.path });
    const at = meetingPoints();
    const app = express();
    app.get('/:name', lock, async (req, res) => {
      req.socket.once('close', () => at('connection closed').resolve());
      at(`${req.params.name} entered`).resolve();
      await at(`finish ${req.params.name}`).promise;
      res.end(req.params.name);
    });
    const url = await start(app);

    const client = await rawClient(url);
    client.write(get('/first') + get('/second'));
    await Promise.all([at('first entered').promise, at('second entered').promise]);
    expect(lock.stats.active).toBe(2);
    await client.hangUp();
    await at('connection closed').promise;
    at('finish first').resolve();
    await until(() => lock.stats.active === 1);
    at('finish second').resolve();
    await until(() => lock.stats.active === 0);
    expect(lock.stats).toMatchObject({ keys: 0, releasedAfterDisconnect: 2, releasedByBound: 0 });
  });

  test("ends that request's scope and runs its reset callbacks once", async () => {
    const at = meetingPoints();
    const resets: string[] = [];
    const removeCallback = Current.beforeReset(() => resets.push(Current.locale));
    try {
      const app = express();
      app.use(currentMiddleware());
      app.get('/:locale', async (req, res) => {
        Current.locale = req.params.locale as string;
        req.socket.once('close', () => at('connection closed').resolve());
        at(`${Current.locale} entered`).resolve();
        await at(`finish ${Current.locale}`).promise;
        res.end(Current.locale);
      });
      const url = await start(app);

      const client = await rawClient(url);
      client.write(get('/fr') + get('/de'));
      await Promise.all([at('fr entered').promise, at('de entered').promise]);
      await client.hangUp();
      await at('connection closed').promise;
      at('finish fr').resolve();
      at('finish de').resolve();
      await until(() => resets.length === 2);
      expect(resets.sort()).toEqual(['de', 'fr']);
    } finally {
      removeCallback();
    }
  });
});

describe('a pipelined response flushed after the one before it', () => {
  test("runs its 'finish' listeners with its own request's values", async () => {
    const at = meetingPoints();
    const seen: string[] = [];
    const app = express();
    app.use(currentMiddleware());
    app.get('/:locale', async (req, res) => {
      Current.locale = req.params.locale as string;
      res.on('finish', () => seen.push(`${req.params.locale} sees ${Current.locale}`));
      if (Current.locale === 'fr') await at('second answered').promise;
      res.end(Current.locale);
      if (Current.locale === 'de') at('second answered').resolve();
    });
    const url = await start(app);

    const client = await rawClient(url);
    client.write(get('/fr') + get('/de', { connection: 'close' }));
    await client.receivedText('de');
    await until(() => seen.length === 2);
    expect(seen).toEqual(['fr sees fr', 'de sees de']);
  });
});

describe('a request body that arrives in two reads', () => {
  test("gives 'data' listeners, stream stages and pipeline's callback the request's values", async () => {
    const at = meetingPoints();
    const seen: string[] = [];
    const app = express();
    app.use(currentMiddleware());
    app.post('/:locale', async (req, res) => {
      Current.locale = req.params.locale as string;
      req.on('data', (chunk: Buffer) => {
        seen.push(`data ${chunk} sees ${Current.locale}`);
        at('first chunk read').resolve();
      });
      const upper = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          seen.push(`transform ${chunk} sees ${Current.locale}`);
          done(null, chunk.toString().toUpperCase());
        },
      });
      await pipeline(req, upper, new PassThrough().resume());
      seen.push(`after pipeline sees ${Current.locale}`);
      res.end('done');
    });
    const url = await start(app);

    const client = await rawClient(url);
    client.write('POST /fr HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 6\r\nconnection: close\r\n\r\nabc');
    await at('first chunk read').promise;
    client.write('def');
    await client.receivedText('done');
    expect(seen).toEqual([
      'data abc sees fr',
      'transform abc sees fr',
      'data def sees fr',
      'transform def sees fr',
      'after pipeline sees fr',
    ]);
  });
});

describe('a handler whose client hung up', () => {
  test('keeps reading its own values until it ends the response, and then its reset callbacks run', async () => {
    const at = meetingPoints();
    const events: string[] = [];
    const removeCallback = Current.beforeReset(() => events.push(`reset ${Current.locale}`));
    try {
      const app = express();
      app.use(currentMiddleware());
      app.get('/:locale', async (req, res) => {
        Current.locale = req.params.locale as string;
        res.on('close', () => at('closed').resolve());
        res.write('started');
        await at('client gone').promise;
        events.push(`after the client left: ${Current.locale}`);
        res.end();
        events.push(`after end: ${Current.locale}`);
      });
      const url = await start(app);

      const client = await rawClient(url);
      client.write(get('/fr'));
      await client.receivedText('started');
      await client.hangUp();
      await at('closed').promise;
      at('client gone').resolve();
      await until(() => events.length === 3);
      expect(events).toEqual(['after the client left: fr', 'reset fr', 'after end: en']);
    } finally {
      removeCallback();
    }
  });
});
