import { currentMiddleware, globalLock, keyedLock, lockSignal, ResponseClosedError } from 'current-attributes/hono';
import { createDeferred } from 'current-attributes/testing';
import { type Context, Hono } from 'hono';
import { afterEach, describe, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';
import { until } from '../../support/until.js';
import { captureWarnings } from '../../support/warnings.js';
import { takeHangUpLogs, type WebServed, webServers } from './web-servers.js';

/** Sets the request's locale from its `x-user` header, as an app sets its user. */
const setLocaleFromHeader = (c: Context) => {
  Current.locale = c.req.header('x-user') as string;
};
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));
const encoder = new TextEncoder();

/** A body whose producer, started by the handler, writes `last` once `go` resolves, then calls `done`. */
function producedBody(go: Promise<unknown>, last: () => string, done: () => void): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  void (async () => {
    const writer = writable.getWriter();
    await writer.write(encoder.encode('first '));
    await go;
    await writer.write(encoder.encode(last()));
    done();
    await writer.close();
  })();
  return new Response(readable);
}

describe.each(webServers)('globalLock and keyedLock for Hono on $name', (server) => {
  let served: WebServed | undefined;
  const start = async (app: Hono) => {
    served = await server.start(app);
    return served;
  };
  afterEach(async () => {
    await served?.close();
    served = undefined;
  });

  test('holds the lock until a streamed body was produced and read: never two holders', async () => {
    const lock = globalLock();
    const go = createDeferred();
    let active = 0;
    let most = 0;
    const app = new Hono();
    app.use(lock);
    app.get('/:name', (c) => {
      active += 1;
      most = Math.max(most, active);
      if (c.req.param('name') === 'plain') {
        active -= 1;
        return c.text('plain');
      }
      return producedBody(
        go.promise,
        () => 'streamed',
        () => {
          active -= 1;
        },
      );
    });
    const { fetch } = await start(app);
    const streamed = await fetch('/streamed');
    const reader = (streamed.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const plain = fetch('/plain').then((response) => response.text());
    await until(() => lock.stats.queued === 1);
    go.resolve();
    while (!(await reader.read()).done);
    expect(await plain).toBe('plain');
    expect(most).toBe(1);
    await until(() => lock.stats.active === 0);
    expect(lock.stats).toMatchObject({ acquired: 2, keys: 0 });
  });

  test('a body the runtime sends whole releases the lock when handed back, before the client read it', async () => {
    const lock = globalLock();
    // Larger than a socket's buffers: the client reads none of it until the next request was answered.
    const large = encoder.encode('x'.repeat(8 * 1024 * 1024));
    const app = new Hono();
    app.use(lock);
    app.get('/:name', (c) => (c.req.param('name') === 'large' ? c.body(large) : c.text(c.req.param('name'))));
    const { fetch } = await start(app);
    const unread = await fetch('/large');
    await until(() => lock.stats.active === 0);
    expect(await (await fetch('/next')).text()).toBe('next');
    expect(lock.stats).toMatchObject({ acquired: 2, active: 0 });
    await unread.body?.cancel();
  });

  test.runIf(server.seesHangUps)('a queued request whose client left never runs, and the next one does', async () => {
    const lock = globalLock();
    const finish = createDeferred();
    const ran: string[] = [];
    const app = new Hono();
    app.use(lock);
    app.get('/:name', async (c) => {
      ran.push(c.req.param('name'));
      if (c.req.param('name') === 'holder') await finish.promise;
      return c.text(c.req.param('name'));
    });
    const { fetch } = await start(app);
    const holder = fetch('/holder');
    await until(() => lock.stats.active === 1);
    const client = new AbortController();
    const gone = fetch('/gone', { signal: client.signal }).catch(() => undefined);
    await until(() => lock.stats.queued === 1);
    client.abort();
    await until(() => lock.stats.queued === 0);
    const next = fetch('/next');
    await until(() => lock.stats.queued === 1);
    finish.resolve();
    expect(await (await holder).text()).toBe('holder');
    expect(await (await next).text()).toBe('next');
    await gone;
    expect(ran).toEqual(['holder', 'next']);
    expect(lock.stats).toMatchObject({ acquired: 2, abandoned: 1, active: 0 });
  });

  test.runIf(server.seesHangUps)(
    'a holder whose client left sees its signal abort, and holds the lock until its handler returns',
    async () => {
      takeHangUpLogs();
      const lock = globalLock();
      const entered = createDeferred();
      const finish = createDeferred();
      let reason: unknown;
      const app = new Hono();
      app.use(lock);
      app.get('/:name', async (c) => {
        if (c.req.param('name') === 'holder') {
          entered.resolve();
          lockSignal(c)?.addEventListener('abort', () => {
            reason = lockSignal(c)?.reason;
          });
          await finish.promise;
        }
        return c.text(c.req.param('name'));
      });
      const { fetch } = await start(app);
      const client = new AbortController();
      const holder = fetch('/holder', { signal: client.signal }).catch(() => undefined);
      await entered.promise;
      const next = fetch('/next');
      await until(() => lock.stats.queued === 1);
      client.abort();
      await until(() => reason !== undefined);
      expect(reason).toBeInstanceOf(ResponseClosedError);
      for (let turn = 0; turn < 10; turn += 1) await nextTurn();
      expect(lock.stats).toMatchObject({ active: 1, queued: 1 });
      finish.resolve();
      expect(await (await next).text()).toBe('next');
      await holder;
      await until(() => lock.stats.active === 0);
      expect(lock.stats).toMatchObject({ acquired: 2, releasedAfterDisconnect: 1, releasedByBound: 0 });
    },
  );

  test.runIf(server.seesHangUps)(
    'abandonedHoldMs releases a holder whose handler never returns after its client left',
    async () => {
      const lock = globalLock({ abandonedHoldMs: 0 });
      const entered = createDeferred();
      // Resolved only after the test: a server that shuts down gracefully (Deno's) waits for its handlers.
      const afterTest = createDeferred();
      const warnings = captureWarnings();
      try {
        const app = new Hono();
        app.use(lock);
        app.get('/:name', async (c) => {
          if (c.req.param('name') === 'stuck') {
            entered.resolve();
            await afterTest.promise;
          }
          return c.text(c.req.param('name'));
        });
        const { fetch } = await start(app);
        const client = new AbortController();
        void fetch('/stuck', { signal: client.signal }).catch(() => undefined);
        await entered.promise;
        client.abort();
        expect(await (await fetch('/next')).text()).toBe('next');
        await until(() => warnings.length === 1);
        expect(warnings.map((warning) => warning.code)).toEqual(['CURRENT_ATTRIBUTES_LOCK_ABANDONED']);
        expect(lock.stats).toMatchObject({ releasedByBound: 1 });
      } finally {
        afterTest.resolve();
      }
    },
  );

  test('answers 503 with Retry-After when the queue is full or the wait timed out, or what onRejected returns', async () => {
    const finish = createDeferred();
    const strict = globalLock({ maxQueue: 1, timeoutMs: 50, retryAfterSeconds: 3 });
    const custom = globalLock({ maxQueue: 0, onRejected: (_error, c) => c.json({ busy: true }, 429) });
    const app = new Hono();
    app.use('/strict/*', strict);
    app.use('/custom/*', custom);
    app.get('*', async (c) => {
      if (c.req.path.endsWith('/holder')) await finish.promise;
      return c.text('done');
    });
    const { fetch } = await start(app);
    const holders = [fetch('/strict/holder'), fetch('/custom/holder')];
    await until(() => strict.stats.active === 1 && custom.stats.active === 1);
    const timedOut = fetch('/strict/timed-out');
    await until(() => strict.stats.queued === 1);
    const full = await fetch('/strict/full');
    expect([full.status, full.headers.get('retry-after')]).toEqual([503, '3']);
    const late = await timedOut;
    expect([late.status, late.headers.get('retry-after')]).toEqual([503, '3']);
    const busy = await fetch('/custom/second');
    expect([busy.status, await busy.json()]).toEqual([429, { busy: true }]);
    finish.resolve();
    await Promise.all(holders.map(async (holder) => (await holder).text()));
  });

  test('sends a bad key, or a lock the request already holds, to app.onError', async () => {
    const app = new Hono();
    app.get('/bad-key', keyedLock({ key: () => undefined as never }), (c) => c.text('unreachable'));
    app.get('/twice', keyedLock({ key: () => 'x' }), keyedLock({ key: () => 'x' }), (c) => c.text('ran'));
    app.onError((error, c) => c.text(error.name, 500));
    const { fetch } = await start(app);
    expect(await (await fetch('/bad-key')).text()).toBe('InvalidArgumentError');
    // Two middlewares, one KeyedMutex each: the same key in two locks is no re-entry.
    expect(await (await fetch('/twice')).text()).toBe('ran');
  });

  test('100 requests contending for the lock each run in their own request’s scope', async () => {
    const lock = globalLock();
    const app = new Hono();
    app.use(currentMiddleware({ setup: setLocaleFromHeader }));
    app.use(lock);
    app.get('/', async (c) => {
      await nextTurn();
      return c.text(Current.locale);
    });
    const { fetch } = await start(app);
    const answers = await Promise.all(
      Array.from({ length: 100 }, async (_, index) => {
        const response = await fetch('/', { headers: { 'x-user': `user-${index}` } });
        return (await response.text()) === `user-${index}`;
      }),
    );
    expect(answers.filter((own) => !own)).toHaveLength(0);
    expect(lock.stats).toMatchObject({ acquired: 100, active: 0 });
  });
});
