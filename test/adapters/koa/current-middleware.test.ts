import { Readable } from 'node:stream';
import { InvalidArgumentError } from 'current-attributes';
import { currentMiddleware } from 'current-attributes/koa';
import { createDeferred } from 'current-attributes/testing';
import Koa from 'koa';
import { afterEach, describe, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';
import { resetsAroundHangUp } from '../../support/hang-up.js';
import { listen, type RunningServer } from '../../support/listen.js';
import { until } from '../../support/until.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A Koa app with `currentMiddleware` first and whose 'error' events are recorded with the value of `Current.locale`. */
function koaApp(options: Parameters<typeof currentMiddleware>[0] = {}) {
  const app = new Koa();
  const errors: string[] = [];
  app.on('error', (error: Error) => errors.push(`${error.message} as ${Current.locale}`));
  app.use(currentMiddleware(options));
  return { app, errors };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('currentMiddleware for Koa', () => {
  test('keeps each request’s values in the middleware before the handler, after its await next()', async () => {
    const { app } = koaApp();
    app.use(async (ctx, next) => {
      Current.locale = ctx.get('x-user');
      await next();
      ctx.set('x-after-next', Current.locale);
    });
    app.use(async (ctx) => {
      await nextTurn();
      ctx.body = Current.locale;
    });
    server = await listen(app.callback());
    const answers = await Promise.all(
      ['ada', 'bob', 'cy'].map(async (user) => {
        const response = await fetch(server?.url as string, { headers: { 'x-user': user } });
        return `${await response.text()} ${response.headers.get('x-after-next')}`;
      }),
    );
    expect(answers).toEqual(['ada ada', 'bob bob', 'cy cy']);
  });

  test('Koa’s own error handling and the app’s error listeners see the values of the request that threw', async () => {
    const { app, errors } = koaApp();
    app.use(async (ctx) => {
      Current.locale = ctx.get('x-user');
      await nextTurn();
      throw new Error('boom');
    });
    server = await listen(app.callback());
    const send = (user: string) => fetch(server?.url as string, { headers: { 'x-user': user } });
    const [ada, bob] = await Promise.all([send('ada'), send('bob')]);
    expect([ada.status, await ada.text(), bob.status]).toEqual([500, 'Internal Server Error', 500]);
    await until(() => errors.length === 2);
    expect(errors.sort()).toEqual(['boom as ada', 'boom as bob']);
  });

  test('answers ctx.throw with its status and message, its error event in the request’s scope', async () => {
    const { app, errors } = koaApp();
    app.use(async (ctx) => {
      Current.locale = 'fr';
      await nextTurn();
      ctx.throw(403, 'admins only');
    });
    server = await listen(app.callback());
    const response = await fetch(server.url);
    expect([response.status, await response.text()]).toEqual([403, 'admins only']);
    await until(() => errors.length === 1);
    expect(errors).toEqual(['admins only as fr']);
  });

  test('runs an async setup in the scope first, and sends its rejection to Koa’s error handling', async () => {
    const { app, errors } = koaApp({
      setup: async (ctx) => {
        Current.locale = ctx.get('x-locale') || 'en';
        await nextTurn();
        if (ctx.get('x-fail') !== '') throw new Error('setup failed');
      },
    });
    app.use((ctx) => {
      ctx.body = Current.locale;
    });
    server = await listen(app.callback());
    expect(await (await fetch(server.url, { headers: { 'x-locale': 'de' } })).text()).toBe('de');
    const failed = await fetch(server.url, { headers: { 'x-locale': 'it', 'x-fail': 'yes' } });
    expect(failed.status).toBe(500);
    await until(() => errors.length === 1);
    expect(errors).toEqual(['setup failed as it']);
  });

  test('an error of a streamed body, after the chain settled, reaches ctx.onerror and the app’s error listeners in the request’s scope', async () => {
    const { app, errors } = koaApp();
    const failed = createDeferred();
    app.use((ctx) => {
      Current.locale = ctx.get('x-user');
      const body = new Readable({ read() {} });
      body.push('partial');
      // Destroyed from the test's own context, long after the chain settled: only Koa's pipeline callback sees it.
      failed.promise.then(() => body.destroy(new Error('stream broke')));
      ctx.body = body;
    });
    server = await listen(app.callback());
    const response = await fetch(server.url, { headers: { 'x-user': 'ada' } });
    failed.resolve();
    await expect(response.text()).rejects.toThrow();
    // Koa reports it twice (its pipeline's callback and the response's on-finished): each must be this request's.
    await until(() => errors.length === 2);
    expect(errors).toEqual(['stream broke as ada', 'stream broke as ada']);
  });

  test('the response’s finish listeners, also those added inside Current.set, see the request’s values', async () => {
    const { app } = koaApp();
    const seen: string[] = [];
    app.use(async (ctx) => {
      Current.locale = ctx.get('x-user');
      await Current.set({ tags: ['set'] }, async () => {
        await nextTurn();
        ctx.res.on('finish', () => seen.push(`finish ${Current.locale}`));
      });
      ctx.res.on('finish', () => seen.push(`finish after set ${Current.locale}`));
      ctx.body = Current.locale;
    });
    server = await listen(app.callback());
    expect(await (await fetch(server.url, { headers: { 'x-user': 'ada' } })).text()).toBe('ada');
    await until(() => seen.length === 2);
    expect(seen).toEqual(['finish ada', 'finish after set ada']);
  });

  test('keeps the values of a request whose client hung up until the chain settles, then resets them once', async () => {
    const { app } = koaApp({ abandonedHoldMs: Number.POSITIVE_INFINITY });
    const entered = createDeferred();
    const finish = createDeferred();
    let afterHangUp = '';
    app.use(async (ctx) => {
      Current.locale = 'ada';
      // Written by hand and never ended: only the chain's promise can tell the request is over.
      ctx.respond = false;
      ctx.res.writeHead(200).write('started');
      entered.resolve();
      await finish.promise;
      afterHangUp = Current.locale;
    });
    server = await listen(app.callback());
    expect(await resetsAroundHangUp(server.url, entered, finish)).toEqual({ beforeSettled: [], afterSettled: ['ada'] });
    expect(afterHangUp).toBe('ada');
  });

  test('adds no own property to Node’s response when the handler adds no listener to it', async () => {
    const { app } = koaApp();
    app.use((ctx) => {
      ctx.body = { response: Object.hasOwn(ctx.res, 'emit') };
    });
    server = await listen(app.callback());
    expect(await (await fetch(server.url)).json()).toEqual({ response: false });
  });

  test('rejects options of the wrong type at start-up, naming the option', () => {
    expect(() => currentMiddleware({ setup: 42 as never })).toThrow(
      new InvalidArgumentError('Expected `options.setup` to be a function, got `42` (number).'),
    );
    expect(() => currentMiddleware({ abandonedHoldMs: -1 })).toThrow(InvalidArgumentError);
    expect(() => currentMiddleware([] as never)).toThrow(/Expected `options` to be a plain object/);
  });
});
