import { currentMiddleware, globalLock } from 'current-attributes/express';
import { createBarrier, createLatch, type Latch } from 'current-attributes/testing';
import express, { type RequestHandler } from 'express';
import { afterEach, describe, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';
import { listen, type RunningServer } from '../../support/listen.js';

const REQUESTS = 100;

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
});

/** Sends REQUESTS concurrent requests, each with its own id; counts the answers naming another id. */
async function wrongAnswers(url: string): Promise<number> {
  const answers = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, index) => {
      const response = await fetch(url, { headers: { 'x-id': String(index) } });
      return (await response.text()) === String(index);
    }),
  );
  return answers.filter((right) => !right).length;
}

/** Gives each request its own scope holding its id as the request id. */
const currentWithId = () =>
  currentMiddleware({
    setup: (req) => {
      Current.requestId = req.get('x-id') as string;
    },
  });

/** Counts each request in as it arrives, before any lock, so a handler can wait until all are queued. */
function arrivals(latch: Latch): RequestHandler {
  return (_req, _res, next) => {
    latch.countDown();
    next();
  };
}

describe(`${REQUESTS} requests contending for globalLock`, () => {
  test('each reads its own Current after acquiring, with Current mounted before the lock', async () => {
    const arrived = createLatch(REQUESTS);
    const app = express();
    app.use(currentWithId());
    app.use(arrivals(arrived), globalLock());
    app.get('/', async (_req, res) => {
      await arrived.wait();
      res.send(Current.requestId);
    });
    server = await listen(app);
    expect(await wrongAnswers(server.url)).toBe(0);
  });

  test('each reads its own Current after acquiring, with Current mounted after the lock', async () => {
    const arrived = createLatch(REQUESTS);
    const app = express();
    app.use(arrivals(arrived), globalLock());
    app.use(currentWithId());
    app.get('/', async (_req, res) => {
      await arrived.wait();
      res.send(Current.requestId);
    });
    server = await listen(app);
    expect(await wrongAnswers(server.url)).toBe(0);
  });
});

describe('a module-level variable written, awaited, then read', () => {
  let shared: string | undefined;
  const handler: (pause: () => Promise<void>) => RequestHandler = (pause) => async (req, res) => {
    shared = req.get('x-id');
    await pause();
    res.send(shared);
  };

  test('leaks to every request but the last without a lock, when all are inside at once', async () => {
    const barrier = createBarrier(REQUESTS);
    const app = express();
    app.get(
      '/',
      handler(() => barrier.arrive()),
    );
    server = await listen(app);
    expect(await wrongAnswers(server.url)).toBe(REQUESTS - 1);
  });

  test('never leaks behind globalLock, even when every other request is queued during the await', async () => {
    const arrived = createLatch(REQUESTS);
    const app = express();
    app.use(arrivals(arrived), globalLock());
    app.get(
      '/',
      handler(() => arrived.wait()),
    );
    server = await listen(app);
    expect(await wrongAnswers(server.url)).toBe(0);
  });
});
