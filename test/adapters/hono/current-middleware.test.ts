import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { InvalidArgumentError } from 'current-attributes';
import { currentMiddleware } from 'current-attributes/hono';
import { createDeferred } from 'current-attributes/testing';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';
import { resetsAroundHangUp } from '../../support/hang-up.js';
import { until } from '../../support/until.js';
import { serve } from './serve.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('currentMiddleware for Hono', () => {
  test('c.text and c.json answer with each request’s values, also after await next() in a middleware', async () => {
    const app = new Hono();
    app.use(currentMiddleware());
    app.use(async (c, next) => {
      Current.locale = c.req.header('x-user') as string;
      await next();
      c.header('x-after-next', Current.locale);
    });
    app.get('/text', async (c) => {
      await nextTurn();
      return c.text(Current.locale);
    });
    app.get('/json', async (c) => {
      await nextTurn();
      return c.json({ locale: Current.locale });
    });
    const url = await serve(app);
    const send = async (path: string, user: string) => {
      const response = await fetch(`${url}${path}`, { headers: { 'x-user': user } });
      return `${await response.text()} ${response.headers.get('x-after-next')}`;
    };
    expect(await Promise.all([send('/text', 'ada'), send('/json', 'bob'), send('/text', 'cy')])).toEqual([
      'ada ada',
      '{"locale":"bob"} bob',
      'cy cy',
    ]);
  });

  test('app.onError, for an Error or an HTTPException, and app.notFound see the request’s values', async () => {
    const app = new Hono();
    app.use(
      currentMiddleware({
        setup: (c) => {
          Current.locale = c.req.header('x-user') ?? 'en';
        },
      }),
    );
    app.get('/fails', async () => {
      await nextTurn();
      throw new Error('failed');
    });
    app.get('/forbidden', async () => {
      await nextTurn();
      throw new HTTPException(403, { message: 'admins only' });
    });
    app.onError((error, c) =>
      c.json({ error: error.message, locale: Current.locale }, error instanceof HTTPException ? error.status : 500),
    );
    app.notFound((c) => c.text(`${c.req.path} not found for ${Current.locale}`, 404));
    const url = await serve(app);
    const get = (path: string, user: string) => fetch(`${url}${path}`, { headers: { 'x-user': user } });
    const [failed, forbidden, missing] = await Promise.all([
      get('/fails', 'ada'),
      get('/forbidden', 'bob'),
      get('/missing', 'cy'),
    ]);
    expect([failed.status, await failed.json()]).toEqual([500, { error: 'failed', locale: 'ada' }]);
    expect([forbidden.status, await forbidden.json()]).toEqual([403, { error: 'admins only', locale: 'bob' }]);
    expect([missing.status, await missing.text()]).toEqual([404, '/missing not found for cy']);
  });

  test('the response’s finish listeners, also those added inside Current.set, see the request’s values', async () => {
    const app = new Hono<{ Bindings: HttpBindings }>();
    const seen: string[] = [];
    app.use(currentMiddleware());
    app.get('/', async (c) => {
      Current.locale = c.req.header('x-user') as string;
      const { outgoing } = c.env;
      await Current.set({ tags: ['set'] }, async () => {
        await nextTurn();
        outgoing.on('finish', () => seen.push(`finish ${Current.locale}`));
      });
      outgoing.on('finish', () => seen.push(`finish after set ${Current.locale}`));
      return c.text(Current.locale);
    });
    const url = await serve(app);
    expect(await (await fetch(url, { headers: { 'x-user': 'ada' } })).text()).toBe('ada');
    await until(() => seen.length === 2);
    expect(seen).toEqual(['finish ada', 'finish after set ada']);
  });

  test('keeps the values of a request whose client hung up until the chain settles, then resets them once', async () => {
    const app = new Hono<{ Bindings: HttpBindings }>();
    const entered = createDeferred();
    const finish = createDeferred();
    let afterHangUp = '';
    app.use(currentMiddleware({ abandonedHoldMs: Number.POSITIVE_INFINITY }));
    app.get('/', async (c) => {
      Current.locale = 'ada';
      // Written by hand and never ended: only the chain's promise can tell the request is over.
      c.env.outgoing.writeHead(200).write('started');
      entered.resolve();
      await finish.promise;
      afterHangUp = Current.locale;
      return RESPONSE_ALREADY_SENT;
    });
    expect(await resetsAroundHangUp(await serve(app), entered, finish)).toEqual({
      beforeSettled: [],
      afterSettled: ['ada'],
    });
    expect(afterHangUp).toBe('ada');
  });

  test('adds no own property to Node’s response when the handler adds no listener to it', async () => {
    const app = new Hono<{ Bindings: HttpBindings }>();
    app.use(currentMiddleware());
    app.get('/', (c) => c.json({ response: Object.hasOwn(c.env.outgoing, 'emit') }));
    expect(await (await fetch(await serve(app))).json()).toEqual({ response: false });
  });

  test('rejects options of the wrong type at start-up, naming the option', () => {
    expect(() => currentMiddleware({ setup: 'x' as never })).toThrow(
      new InvalidArgumentError('Expected `options.setup` to be a function, got `x` (string).'),
    );
    expect(() => currentMiddleware({ abandonedHoldMs: Number.NaN })).toThrow(InvalidArgumentError);
  });
});
