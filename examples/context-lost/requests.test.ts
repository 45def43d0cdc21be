import { currentMiddleware } from 'current-attributes/express';
import { createDeferred } from 'current-attributes/testing';
import express, { type RequestHandler } from 'express';
import { describe, expect, test } from 'vitest';
import { rawClient } from '../../test/support/raw-client.js';
import { serversPerTest } from '../../test/support/servers-per-test.js';
import { collectWarnings } from '../../test/support/warnings.js';
import { Current } from './current.js';
import { createApp as createAppWithIds, createAppWithoutMiddleware } from './forgotten-middleware.js';
import { enterWithMiddleware, runMiddleware, storage } from './hand-written.js';
import { createApp, createAppAuthenticatingFirst } from './middleware-order.js';

const start = serversPerTest();

/** Whether AsyncLocalStorage runs on AsyncContextFrame (Node 24's default) rather than on async hooks. */
function usesAsyncContextFrame(): boolean {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const major = Number(process.versions.node.split('.')[0]);
  if (flags.includes('--no-async-context-frame')) return false;
  return major >= 24 || flags.includes('--experimental-async-context-frame');
}

describe('a middleware that writes Current, mounted before currentMiddleware', () => {
  test('fails the request with ScopeMissingError, which says to mount currentMiddleware first', async () => {
    const url = await start(createAppAuthenticatingFirst());
    const response = await fetch(`${url}/me`, { headers: { 'x-user': 'ann' } });
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: string }).error).toContain(
      'Cannot write ContextLostCurrent.user: no scope is active. Mount currentMiddleware() before the code that uses it',
    );
  });

  test('works once it is mounted after', async () => {
    const url = await start(createApp());
    const response = await fetch(`${url}/me`, { headers: { 'x-user': 'ann' } });
    expect(await response.json()).toEqual({ user: 'ann' });
  });
});

describe('an app without currentMiddleware', () => {
  const idsFrom = async (url: string) =>
    Promise.all(
      Array.from(
        { length: 3 },
        async () => ((await (await fetch(`${url}/id`)).json()) as { requestId: string }).requestId,
      ),
    );

  test('gives every request one request id, and the process warns once, naming the attribute and the fix', async () => {
    const warnings = collectWarnings('CURRENT_ATTRIBUTES_READ_OUTSIDE_SCOPE');
    const url = await start(createAppWithoutMiddleware());
    expect(new Set([...(await idsFrom(url)), ...(await idsFrom(url))]).size).toBe(1);
    const messages = await warnings.stop();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(
      /^RequestIds\.requestId was read outside any scope .* Mount currentMiddleware\(\) before your routes/,
    );
  });

  test('gives each request an id of its own once the middleware is mounted first', async () => {
    const url = await start(createAppWithIds());
    expect(new Set(await idsFrom(url)).size).toBe(3);
  });
});

/** Sends two requests, as Ann then Bob, one after the other on one keep-alive connection. */
async function annThenBobOnOneConnection(url: string) {
  const client = await rawClient(url);
  client.write('GET /me HTTP/1.1\r\nhost: 127.0.0.1\r\nx-user: ann\r\n\r\n');
  await client.receivedText('"ann"');
  client.write('GET /me HTTP/1.1\r\nhost: 127.0.0.1\r\nx-user: bob\r\nconnection: close\r\n\r\n');
  await client.receivedText('"bob"');
}

describe('two requests on one keep-alive connection', () => {
  test("a hand-written enterWith middleware shows Bob's request Ann's store before its own enterWith, on async hooks", async () => {
    const seenBefore: (string | null)[] = [];
    const app = express();
    app.use((_req, _res, next) => {
      seenBefore.push(storage.getStore()?.user ?? null);
      next();
    });
    app.use(enterWithMiddleware);
    app.get('/me', (_req, res) => res.json({ user: storage.getStore()?.user }));
    await annThenBobOnOneConnection(await start(app));
    // Node 24's AsyncContextFrame keeps no store on the connection's context; async hooks (Node 20, 22) do.
    expect(seenBefore).toEqual(usesAsyncContextFrame() ? [null, null] : [null, 'ann']);
  });

  test('currentMiddleware starts each one from the defaults', async () => {
    const seenBefore: (string | null)[] = [];
    const app = express();
    app.use(currentMiddleware());
    app.use((req, _res, next) => {
      seenBefore.push(Current.user ?? null);
      Current.user = req.get('x-user');
      next();
    });
    app.get('/me', (_req, res) => res.json({ user: Current.user }));
    await annThenBobOnOneConnection(await start(app));
    expect(seenBefore).toEqual([null, null]);
  });
});

/** Posts a body in two socket writes, the second only once the handler has read the first; returns whom each chunk's listener saw. */
async function bodyInTwoReads(user: () => string | undefined, ...middleware: RequestHandler[]) {
  const seen: (string | null)[] = [];
  const firstChunkRead = createDeferred();
  const app = express();
  app.use(...middleware);
  app.post('/notes', (req, res) => {
    req.on('data', () => {
      seen.push(user() ?? null);
      firstChunkRead.resolve();
    });
    req.on('end', () => res.end('stored'));
  });
  const client = await rawClient(await start(app));
  client.write(
    'POST /notes HTTP/1.1\r\nhost: 127.0.0.1\r\nx-user: ann\r\ncontent-length: 6\r\nconnection: close\r\n\r\nabc',
  );
  await firstChunkRead.promise;
  client.write('def');
  await client.receivedText('stored');
  return seen;
}

describe('a request body that arrives in two reads', () => {
  test("loses a hand-written run middleware's store in the second chunk's listener", async () => {
    const seen = await bodyInTwoReads(() => storage.getStore()?.user, runMiddleware);
    expect(seen).toEqual(['ann', null]);
  });

  test("keeps the request's values in every chunk's listener under currentMiddleware", async () => {
    const setUser: RequestHandler = (req, _res, next) => {
      Current.user = req.get('x-user');
      next();
    };
    const seen = await bodyInTwoReads(() => Current.user, currentMiddleware(), setUser);
    expect(seen).toEqual(['ann', 'ann']);
  });
});
