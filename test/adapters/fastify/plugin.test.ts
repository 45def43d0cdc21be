import { InvalidArgumentError } from 'current-attributes';
import { fastifyCurrent } from 'current-attributes/fastify';
import { createDeferred } from 'current-attributes/testing';
import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';
import { resetsAroundHangUp } from '../../support/hang-up.js';
import { rawClient } from '../../support/raw-client.js';
import { until } from '../../support/until.js';
import { serve } from './serve.js';

/** A Fastify app with `fastifyCurrent` registered first, its `setup` taking `Current.locale` from `x-user`. */
async function fastifyApp() {
  const app = Fastify();
  await app.register(fastifyCurrent, {
    setup: async (request) => {
      Current.locale = (request.headers['x-user'] as string | undefined) ?? 'en';
    },
  });
  return app;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('fastifyCurrent', () => {
  test('every hook in Fastify’s order, the handler and the error handler see the values of their own request', async () => {
    const instance = await fastifyApp();
    const seen = new Map<string, string[]>();
    const record = (hook: string) => {
      const list = seen.get(Current.locale) ?? [];
      list.push(hook);
      seen.set(Current.locale, list);
    };
    for (const hook of ['onRequest', 'preParsing', 'preValidation', 'preHandler', 'onSend'] as const) {
      instance.addHook(hook, async () => {
        await nextTurn();
        record(hook);
      });
    }
    // The request is over when its response closes, a turn after onResponse: read before awaiting.
    instance.addHook('onResponse', async () => record('onResponse'));
    instance.addHook('preSerialization', async (_request, _reply, payload) => {
      record('preSerialization');
      return payload;
    });
    instance.addHook('onError', async () => record('onError'));
    instance.setErrorHandler(async (error: Error, _request, reply) => {
      record('errorHandler');
      return reply.code(500).send({ error: error.message, locale: Current.locale });
    });
    instance.post('/echo', async (request) => {
      await nextTurn();
      record('handler');
      if ((request.body as { fail?: boolean }).fail) throw new Error('failed');
      return { locale: Current.locale };
    });
    const url = await serve(instance);
    const post = (user: string, body: object) =>
      fetch(`${url}/echo`, {
        method: 'POST',
        headers: { 'x-user': user, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const [ada, bob] = await Promise.all([post('ada', {}), post('bob', { fail: true })]);
    expect(await ada.json()).toEqual({ locale: 'ada' });
    expect([bob.status, await bob.json()]).toEqual([500, { error: 'failed', locale: 'bob' }]);
    const before = ['onRequest', 'preParsing', 'preValidation', 'preHandler', 'handler'];
    await until(() => seen.get('ada')?.at(-1) === 'onResponse' && seen.get('bob')?.at(-1) === 'onResponse');
    expect(seen.get('ada')).toEqual([...before, 'preSerialization', 'onSend', 'onResponse']);
    expect(seen.get('bob')).toEqual([...before, 'onError', 'errorHandler', 'preSerialization', 'onSend', 'onResponse']);
  });

  test('parses a JSON body that arrives in two socket reads in the request’s scope', async () => {
    const instance = await fastifyApp();
    const headersRead = createDeferred();
    instance.addHook('preParsing', async () => headersRead.resolve());
    instance.addHook('preValidation', async (request) => {
      request.headers['x-locale-at-validation'] = Current.locale;
    });
    instance.post('/', async (request) => ({
      body: request.body,
      atValidation: request.headers['x-locale-at-validation'],
      inHandler: Current.locale,
    }));
    const client = await rawClient(await serve(instance));
    const body = JSON.stringify({ greeting: 'hello, world' });
    const head = `POST / HTTP/1.1\r\nhost: 127.0.0.1\r\nx-user: ada\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`;
    client.write(head + body.slice(0, 10));
    await headersRead.promise;
    client.write(body.slice(10));
    await client.receivedText('}');
    const answer = client.received.slice(client.received.indexOf('{'));
    expect(JSON.parse(answer)).toEqual({ body: { greeting: 'hello, world' }, atValidation: 'ada', inHandler: 'ada' });
  });

  test('onRequestAbort hooks of the app, of an encapsulated plugin and of the route all see the values of the request whose client hung up', async () => {
    const instance = await fastifyApp();
    const seen: string[] = [];
    const entered = createDeferred();
    const finish = createDeferred();
    instance.addHook('onRequestAbort', async (_request) => {
      seen.push(`app ${Current.locale}`);
    });
    await instance.register(async (child) => {
      child.addHook('onRequestAbort', (_request, done) => {
        seen.push(`plugin ${Current.locale}`);
        done();
      });
      child.get(
        '/',
        {
          onRequestAbort: async (_request) => {
            seen.push(`route ${Current.locale}`);
          },
        },
        async () => {
          entered.resolve();
          await finish.promise;
          return 'late';
        },
      );
    });
    const client = await rawClient(await serve(instance));
    client.write('GET / HTTP/1.1\r\nhost: 127.0.0.1\r\nx-user: ada\r\n\r\n');
    await entered.promise;
    await client.hangUp();
    await until(() => seen.length === 3);
    expect(seen).toEqual(['app ada', 'plugin ada', 'route ada']);
    finish.resolve();
  });

  test('keeps the values of a request whose client hung up until its handler settles, then resets them once', async () => {
    const app = Fastify();
    await app.register(fastifyCurrent, { abandonedHoldMs: Number.POSITIVE_INFINITY });
    const entered = createDeferred();
    const finish = createDeferred();
    let afterHangUp = '';
    app.get('/', async (_request, reply) => {
      Current.locale = 'ada';
      // Hijacked and never ended: only the handler's promise can tell the request is over.
      reply.hijack();
      reply.raw.writeHead(200).write('started');
      entered.resolve();
      await finish.promise;
      afterHangUp = Current.locale;
    });
    expect(await resetsAroundHangUp(await serve(app), entered, finish)).toEqual({
      beforeSettled: [],
      afterSettled: ['ada'],
    });
    expect(afterHangUp).toBe('ada');
  });

  test('adds no own property to Node’s request or response of a request without a body', async () => {
    const app = await fastifyApp();
    app.get('/', async (request, reply) => ({
      request: Object.hasOwn(request.raw, 'emit'),
      response: Object.hasOwn(reply.raw, 'emit'),
    }));
    const response = await fetch(await serve(app));
    expect(await response.json()).toEqual({ request: false, response: false });
  });

  test('a hook that answers early with reply.send still has its onSend and onResponse hooks in the scope', async () => {
    const instance = await fastifyApp();
    const seen: string[] = [];
    instance.addHook('preHandler', async (_request, reply) => {
      if (Current.locale === 'intruder') return reply.code(401).send({ error: 'who are you?' });
    });
    instance.addHook('onSend', async () => {
      seen.push(`onSend ${Current.locale}`);
    });
    instance.addHook('onResponse', async () => {
      seen.push(`onResponse ${Current.locale}`);
    });
    instance.get('/', async () => 'never');
    const url = await serve(instance);
    const response = await fetch(url, { headers: { 'x-user': 'intruder' } });
    expect(response.status).toBe(401);
    await until(() => seen.length === 2);
    expect(seen).toEqual(['onSend intruder', 'onResponse intruder']);
  });

  test('the not-found handler sees the request’s values', async () => {
    const instance = await fastifyApp();
    instance.setNotFoundHandler(async (request, reply) =>
      reply.code(404).send(`${request.url} not found for ${Current.locale}`),
    );
    const response = await fetch(`${await serve(instance)}/missing`, { headers: { 'x-user': 'ada' } });
    expect([response.status, await response.text()]).toEqual([404, '/missing not found for ada']);
  });

  test('sends a setup that throws to the error handler, in the scope', async () => {
    const app = Fastify();
    await app.register(fastifyCurrent, {
      setup: (request) => {
        Current.locale = 'de';
        if (request.headers['x-fail'] !== undefined) throw new Error('setup failed');
      },
    });
    app.setErrorHandler(async (error: Error, _request, reply) =>
      reply.code(500).send(`${error.message} as ${Current.locale}`),
    );
    app.get('/', async () => Current.locale);
    const url = await serve(app);
    expect(await (await fetch(url)).text()).toBe('de');
    const failed = await fetch(url, { headers: { 'x-fail': 'yes' } });
    expect([failed.status, await failed.text()]).toEqual([500, 'setup failed as de']);
  });

  test('rejects options of the wrong type when the app loads, naming the option', async () => {
    const app = Fastify();
    app.register(fastifyCurrent, { onResetError: 'log' as never });
    await expect(app.ready()).rejects.toThrow(
      new InvalidArgumentError('Expected `options.onResetError` to be a function, got `log` (string).'),
    );
  });

  test('refuses a second registration in the same app when the app loads, saying to register it once', async () => {
    const app = Fastify();
    app.register(fastifyCurrent);
    app.register(async (child) => {
      child.register(fastifyCurrent);
    });
    await expect(app.ready()).rejects.toThrow(
      new InvalidArgumentError(
        'fastifyCurrent is registered twice in one app: register it once, on the root instance, before other plugins, hooks and routes.',
      ),
    );
  });
});
