import { InvalidArgumentError } from 'current-attributes';
import { currentMiddleware } from 'current-attributes/express';
import { createDeferred } from 'current-attributes/testing';
import express5, { type Express, type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import express4 from 'express4';
import multer from 'multer';
import { afterEach, describe, expect, test } from 'vitest';
import { alice, bob, Current } from '../../support/fixtures.js';
import { listen, type RunningServer } from '../../support/listen.js';

const users = new Map([alice, bob].map((user) => [user.id, user]));

/** Signs the request in from its `x-user` header after an await, as a real lookup would. */
async function authenticate(req: Request, _res: Response, next: NextFunction) {
  await new Promise((resolve) => setImmediate(resolve));
  Current.user = users.get(req.get('x-user') ?? '');
  next();
}

const who = () => ({ user: Current.user?.name ?? null, account: Current.account ?? null });

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(app: Express) {
  server = await listen(app);
  return server.url;
}

describe.each([
  ['Express 4', express4],
  ['Express 5', express5],
])('currentMiddleware on %s', (_version, express) => {
  function appWithCurrent() {
    const app = express();
    app.use(currentMiddleware());
    return app;
  }

  test('keeps the request values through express.json() and express.urlencoded()', async () => {
    const app = appWithCurrent();
    app.use(authenticate, express.json(), express.urlencoded({ extended: false }));
    app.post('/echo', (req, res) => res.json({ ...who(), body: req.body }));
    const url = await start(app);

    const json = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'x-user': 'u1', 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await json.json()).toEqual({ user: 'Alice', account: 'acme', body: { a: 1 } });
    const form = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'x-user': 'u2', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'b=2',
    });
    expect(await form.json()).toEqual({ user: 'Bob', account: 'globex', body: { b: '2' } });
  });

  test('keeps the request values through multer and express-session', async () => {
    const app = appWithCurrent();
    app.use(authenticate);
    app.use(session({ secret: 'test only', resave: false, saveUninitialized: true }));
    app.post('/upload', multer({ storage: multer.memoryStorage() }).single('file'), (req, res) => {
      res.json({ ...who(), file: req.file?.buffer.toString(), session: typeof req.session.id });
    });
    const url = await start(app);

    const body = new FormData();
    body.append('file', new Blob(['hello']), 'hello.txt');
    const response = await fetch(`${url}/upload`, { method: 'POST', headers: { 'x-user': 'u1' }, body });
    expect(await response.json()).toEqual({ user: 'Alice', account: 'acme', file: 'hello', session: 'string' });
  });

  test('keeps the request values in a nested router and in error middleware', async () => {
    const app = appWithCurrent();
    const router = express.Router();
    router.get('/thrown', () => {
      throw new Error('thrown');
    });
    router.get('/passed', (_req, _res, next) => setImmediate(() => next(new Error('passed'))));
    app.use(authenticate);
    app.use('/api', router);
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ ...who(), error: error.message });
    });
    const url = await start(app);

    for (const [path, user, name] of [
      ['/api/thrown', 'u1', 'Alice'],
      ['/api/passed', 'u2', 'Bob'],
    ] as const) {
      const response = await fetch(`${url}${path}`, { headers: { 'x-user': user } });
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ user: name, error: path.split('/').at(-1) });
    }
  });

  test("lets res.on('finish') listeners read the values, and resets only after the response closed", async () => {
    const events: string[] = [];
    const closed = createDeferred();
    const remove = Current.beforeReset(() => {
      events.push(`reset sees ${Current.user?.name}`);
      closed.resolve();
    });
    try {
      const app = appWithCurrent();
      app.use(authenticate);
      app.get('/', (_req, res) => {
        res.on('finish', () => events.push(`finish sees ${Current.user?.name}`));
        res.json(who());
      });
      const url = await start(app);
      await (await fetch(url, { headers: { 'x-user': 'u2' } })).json();
      await closed.promise;
    } finally {
      remove();
    }
    expect(events).toEqual(['finish sees Bob', 'reset sees Bob']);
  });

  test('runs setup first in every fresh scope; async setup and its failures are handled', async () => {
    const app = express();
    app.use(
      currentMiddleware({
        setup: async (req) => {
          await new Promise((resolve) => setImmediate(resolve));
          if (req.get('x-fail')) throw new Error('setup failed');
          Current.locale = req.get('x-locale') ?? Current.locale;
        },
      }),
    );
    app.get('/', (_req, res) => res.json({ locale: Current.locale }));
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ error: error.message, locale: Current.locale });
    });
    const url = await start(app);

    expect(await (await fetch(url, { headers: { 'x-locale': 'fr' } })).json()).toEqual({ locale: 'fr' });
    expect(await (await fetch(url)).json()).toEqual({ locale: 'en' });
    const failed = await fetch(url, { headers: { 'x-fail': '1' } });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: 'setup failed', locale: 'en' });
  });

  test('gives every request a fresh scope even when the server runs inside one', async () => {
    const app = appWithCurrent();
    app.get('/', (_req, res) => {
      const before = Current.locale;
      Current.locale = 'changed';
      res.json({ before });
    });
    const url = await Current.run(async () => {
      Current.locale = 'ambient';
      return start(app);
    });
    for (let i = 0; i < 3; i += 1) expect(await (await fetch(url)).json()).toEqual({ before: 'en' });
  });

  test('does not carry values to the next request on the same keep-alive connection', async () => {
    const app = appWithCurrent();
    app.use(authenticate);
    app.get('/', (_req, res) => res.json(who()));
    const url = await start(app);
    const { Agent, request } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (user?: string) =>
      new Promise<unknown>((resolve, reject) => {
        const req = request(url, { agent, headers: user ? { 'x-user': user } : {} }, (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve({ body: JSON.parse(body), socket: res.socket?.localPort }));
        });
        req.on('error', reject).end();
      });
    const first = (await get('u1')) as { body: unknown; socket: number };
    const second = (await get()) as { body: unknown; socket: number };
    agent.destroy();
    expect(second.socket).toBe(first.socket);
    expect(first.body).toEqual({ user: 'Alice', account: 'acme' });
    expect(second.body).toEqual({ user: null, account: null });
  });

  test('hands a failing reset callback to onResetError with the request', async () => {
    const reported = createDeferred<[unknown, string]>();
    const app = express();
    app.use(currentMiddleware({ onResetError: (error, req) => reported.resolve([error, req.path]) }));
    app.get('/', (_req, res) => {
      Current.locale = 'fr';
      res.end();
    });
    const remove = Current.beforeReset(() => {
      throw new Error('callback broke');
    });
    try {
      const url = await start(app);
      await fetch(url);
      const [error, path] = await reported.promise;
      expect(path).toBe('/');
      expect((error as AggregateError).errors).toEqual([new Error('callback broke')]);
    } finally {
      remove();
    }
  });

  test('mounted again by a sub-app, keeps the request’s scope and runs its own setup in it; resets run once', async () => {
    const resets: string[] = [];
    const removeCallback = Current.beforeReset(() => resets.push(Current.locale));
    try {
      const sub = express();
      sub.use(currentMiddleware({ setup: () => Current.tags.push('sub-app setup') }));
      sub.get('/me', (_req: Request, res: Response) => res.json({ locale: Current.locale, tags: Current.tags }));
      const app = appWithCurrent();
      app.use((req: Request, _res: Response, next: NextFunction) => {
        Current.locale = req.get('x-locale') ?? 'none';
        next();
      });
      app.use('/sub', sub);
      const url = await start(app);
      const answers = await Promise.all(
        ['fr', 'de'].map(async (locale) => (await fetch(`${url}/sub/me`, { headers: { 'x-locale': locale } })).json()),
      );
      expect(answers).toEqual([
        { locale: 'fr', tags: ['sub-app setup'] },
        { locale: 'de', tags: ['sub-app setup'] },
      ]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(resets.sort()).toEqual(['de', 'fr']);
    } finally {
      removeCallback();
    }
  });
});

describe('currentMiddleware on Express 5 only', () => {
  test('keeps the request values when an async handler rejects', async () => {
    const app = express5();
    app.use(currentMiddleware(), authenticate);
    app.get('/', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new Error('rejected');
    });
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ ...who(), error: error.message });
    });
    const url = await start(app);
    const response = await fetch(url, { headers: { 'x-user': 'u1' } });
    expect(await response.json()).toEqual({ user: 'Alice', account: 'acme', error: 'rejected' });
  });
});

describe('currentMiddleware options', () => {
  test('rejects a setup that is not a function', () => {
    expect(() => currentMiddleware({ setup: 'no' as never })).toThrow(InvalidArgumentError);
    expect(() => currentMiddleware({ setup: 'no' as never })).toThrow(
      'Expected `options.setup` to be a function, got `no` (string).',
    );
  });
});
