import { currentMiddleware } from 'current-attributes/hono';
import { createBarrier, createDeferred } from 'current-attributes/testing';
import { type Context, Hono } from 'hono';
import { afterEach, describe, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';
import { until } from '../../support/until.js';
import { takeHangUpLogs, type WebServed, webServers } from './web-servers.js';

/** Sets the request's locale from its `x-user` header, as an app sets its user. */
const setLocaleFromHeader = (c: Context) => {
  Current.locale = c.req.header('x-user') as string;
};
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));
const encoder = new TextEncoder();

/** Collects what each reset callback read, for the test's duration. */
function watchResets() {
  const resets: string[] = [];
  const remove = Current.beforeReset(() => resets.push(Current.locale));
  return { resets, remove };
}

/** What is left of a body, read to its end. */
async function readRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * A body written by a producer the handler starts and leaves running, as
 * Hono's streaming helpers do: it writes `Current.locale` once `go` resolves.
 */
function producedBody(go: Promise<unknown>): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  void (async () => {
    const writer = writable.getWriter();
    await writer.write(encoder.encode('first '));
    await go;
    await writer.write(encoder.encode(Current.locale));
    await writer.close();
  })();
  return new Response(readable);
}

describe.each(webServers)('currentMiddleware for Hono on $name', (server) => {
  let served: WebServed | undefined;
  let removeResets: (() => void) | undefined;
  const start = async (app: Hono) => {
    served = await server.start(app);
    return served;
  };
  const resetsWatched = () => {
    const watch = watchResets();
    removeResets = watch.remove;
    return watch.resets;
  };
  afterEach(async () => {
    removeResets?.();
    await served?.close();
    served = undefined;
  });

  test('200 concurrent requests each read their own values, before and after await next()', async () => {
    const barrier = createBarrier(200);
    const app = new Hono();
    app.use(currentMiddleware({ setup: setLocaleFromHeader }));
    app.use(async (c, next) => {
      await next();
      c.header('x-after-next', Current.locale);
    });
    app.get('/', async (c) => {
      await barrier.arrive();
      await nextTurn();
      return c.text(Current.locale);
    });
    const { fetch } = await start(app);
    const answers = await Promise.all(
      Array.from({ length: 200 }, async (_, index) => {
        const response = await fetch('/', { headers: { 'x-user': `user-${index}` } });
        return `${await response.text()} ${response.headers.get('x-after-next')}` === `user-${index} user-${index}`;
      }),
    );
    expect(answers.filter((own) => !own)).toHaveLength(0);
  });

  test('app.onError and app.notFound see the request’s values, and each request resets once', async () => {
    const resets = resetsWatched();
    const app = new Hono();
    app.use(currentMiddleware({ setup: setLocaleFromHeader }));
    app.get('/fails', async () => {
      await nextTurn();
      throw new Error('failed');
    });
    app.onError((error, c) => c.text(`${error.message} as ${Current.locale}`, 500));
    app.notFound((c) => c.text(`missing for ${Current.locale}`, 404));
    const { fetch } = await start(app);
    const [failed, missing] = await Promise.all([
      fetch('/fails', { headers: { 'x-user': 'ada' } }),
      fetch('/missing', { headers: { 'x-user': 'bob' } }),
    ]);
    expect([failed.status, await failed.text()]).toEqual([500, 'failed as ada']);
    expect([missing.status, await missing.text()]).toEqual([404, 'missing for bob']);
    await until(() => resets.length === 2);
    expect(resets.sort()).toEqual(['ada', 'bob']);
  });

  test('a body produced after the handler returned reads the request’s values, and resets come once it was read', async () => {
    const resets = resetsWatched();
    const go = createDeferred();
    const app = new Hono();
    app.use(currentMiddleware());
    app.get('/', (c) => {
      Current.locale = c.req.header('x-user') as string;
      return producedBody(go.promise);
    });
    const { fetch } = await start(app);
    const response = await fetch('/', { headers: { 'x-user': 'ada' } });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    expect(resets).toEqual([]);
    go.resolve();
    expect(await readRest(reader)).toBe('ada');
    await until(() => resets.length === 1);
    expect(resets).toEqual(['ada']);
  });

  test('a body the runtime sends whole (c.text, c.json, c.html, c.body of bytes or none) ends the request when handed back, before it is read', async () => {
    const resets = resetsWatched();
    // Larger than a socket's buffers: the client reads none of it until the request has ended.
    const large = 'x'.repeat(8 * 1024 * 1024);
    const app = new Hono();
    app.use(currentMiddleware());
    app.get('/:kind', (c) => {
      const kind = c.req.param('kind');
      Current.locale = kind;
      if (kind === 'text') return c.text(large);
      if (kind === 'json') return c.json({ large });
      if (kind === 'html') return c.html(large);
      if (kind === 'bytes') return c.body(encoder.encode(large));
      return c.body(null, 204);
    });
    const { fetch } = await start(app);
    const kinds = ['text', 'json', 'html', 'bytes', 'none'];
    const responses = await Promise.all(kinds.map((kind) => fetch(`/${kind}`)));
    await until(() => resets.length === kinds.length);
    expect(resets.sort()).toEqual([...kinds].sort());
    await Promise.all(responses.map((response) => response.body?.cancel()));
  });

  test('a ReadableStream handed to c.body is followed: its producer reads the request’s values, resets come once it was read', async () => {
    const resets = resetsWatched();
    const go = createDeferred();
    const app = new Hono();
    app.use(currentMiddleware());
    app.get('/', (c) => {
      Current.locale = c.req.header('x-user') as string;
      return c.body(producedBody(go.promise).body as ReadableStream<Uint8Array>);
    });
    const { fetch } = await start(app);
    const response = await fetch('/', { headers: { 'x-user': 'ada' } });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    for (let turn = 0; turn < 10; turn += 1) await nextTurn();
    expect(resets).toEqual([]);
    go.resolve();
    expect(await readRest(reader)).toBe('ada');
    await until(() => resets.length === 1);
    expect(resets).toEqual(['ada']);
  });

  test('a client that cancels the body ends the request once', async () => {
    takeHangUpLogs();
    const resets = resetsWatched();
    const app = new Hono();
    app.use(currentMiddleware());
    app.get('/', () => {
      Current.locale = 'ada';
      return producedBody(new Promise(() => undefined));
    });
    const { fetch } = await start(app);
    const response = await fetch('/');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
    await until(() => resets.length === 1);
    expect(resets).toEqual(['ada']);
  });

  test('a HEAD request, whose body Hono drops, ends with its chain', async () => {
    const resets = resetsWatched();
    const app = new Hono();
    app.use(currentMiddleware());
    app.get('/', (c) => {
      Current.locale = 'ada';
      return c.text('body that a HEAD answer drops');
    });
    const { fetch } = await start(app);
    const response = await fetch('/', { method: 'HEAD' });
    expect(response.status).toBe(200);
    await until(() => resets.length === 1);
    expect(resets).toEqual(['ada']);
  });

  test.runIf(server.seesHangUps)(
    'keeps the values of a request whose client left until the handler returns, then resets them once',
    async () => {
      takeHangUpLogs();
      const resets = resetsWatched();
      const entered = createDeferred();
      const finish = createDeferred();
      let afterHangUp = '';
      const app = new Hono();
      app.use(currentMiddleware({ abandonedHoldMs: Number.POSITIVE_INFINITY }));
      app.get('/', async (c) => {
        Current.locale = 'ada';
        entered.resolve();
        await finish.promise;
        afterHangUp = Current.locale;
        return c.text('nobody reads this');
      });
      const { fetch } = await start(app);
      const client = new AbortController();
      const sent = fetch('/', { signal: client.signal }).catch(() => undefined);
      await entered.promise;
      client.abort();
      for (let turn = 0; turn < 10; turn += 1) await nextTurn();
      expect(resets).toEqual([]);
      finish.resolve();
      // Hono's test client answers once the handler returned; a client over a socket has given up already.
      await sent;
      await until(() => resets.length === 1);
      expect([afterHangUp, ...resets]).toEqual(['ada', 'ada']);
    },
  );

  test('a failing reset callback reaches onResetError with the request’s context', async () => {
    const failures: string[] = [];
    const remove = Current.beforeReset(() => {
      throw new Error('reset failed');
    });
    removeResets = remove;
    const app = new Hono();
    app.use(currentMiddleware({ onResetError: (error, c) => failures.push(`${(error as Error).name} ${c.req.path}`) }));
    app.get('/page', (c) => {
      Current.locale = 'ada';
      return c.text('ok');
    });
    const { fetch } = await start(app);
    expect(await (await fetch('/page')).text()).toBe('ok');
    await until(() => failures.length === 1);
    expect(failures).toEqual(['ResetCallbackError /page']);
  });
});
