import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import {
  currentMiddleware,
  globalLock,
  type HonoLock,
  type HonoLockOptions,
  keyedLock,
  lockSignal,
  stream,
} from 'current-attributes/hono';
import { type Context, Hono } from 'hono';
import { listen } from '../../support/listen.js';
import { type AdapterUnderTest, type Call, describeContract, type Rejection } from './contract.js';
import { describeKeepAliveContract } from './keep-alive.js';

/** A contract call on a Hono context, and the Response its handler returns once the route is done. */
function callOf(c: Context<{ Bindings: HttpBindings }>) {
  const { incoming, outgoing } = c.env;
  let answer: Response | undefined;
  const call: Call = {
    path: c.req.path,
    socket: incoming.socket,
    header: (name) => c.req.header(name),
    // A Hono handler answers by returning a Response, once: a response that
    // starts before the handler ends is written to Node's, as @hono/node-server allows.
    write: (text) => {
      outgoing.writeHead(200);
      outgoing.write(text);
      answer = RESPONSE_ALREADY_SENT;
    },
    end: (text) => {
      if (answer === RESPONSE_ALREADY_SENT) outgoing.end(text);
      else answer = c.text(text);
    },
    onFinish: (listener) => outgoing.on('finish', listener),
    onClose: (listener) => outgoing.on('close', listener),
    lockSignal: () => lockSignal(incoming),
    // This library's stream(), which the lock follows to its callback's end (see hono/lock.test.ts for Hono's own).
    stream: (source) => {
      answer = stream(c, async (writer) => {
        for await (const chunk of source()) await writer.write(chunk);
      });
    },
  };
  return { call, answer: () => answer ?? c.text('the route did not answer', 500) };
}

/** `onRejected` in Hono's idiom: return a Response, or throw to `app.onError`. */
function onRejectedFor(rejection: Rejection | undefined): HonoLockOptions['onRejected'] {
  switch (rejection) {
    case undefined:
      return undefined;
    case 'throws':
      return (error) => {
        throw new Error(`rethrown ${error.name}`);
      };
    case 'rejects':
      return async (error) => {
        throw new Error(`rethrown ${error.name}`);
      };
    case 'answers-nothing':
      return async () => undefined;
    case 'sets-status':
      return (_error, c) => {
        c.status(429);
      };
  }
}

const honoAdapter: AdapterUnderTest = {
  name: 'Hono',
  endsScopeOfLeftWaiter: true,
  resumesAroundLock: true,
  async start({ lock: lockOptions, scope, aroundLock, route, onError }) {
    const { mountedTwice: twice, setup, ...scopeOptions } = scope ?? {};
    const app = new Hono<{ Bindings: HttpBindings }>();
    app.use(currentMiddleware({ ...scopeOptions, setup: (c) => setup?.(c.req.path) }));
    if (twice !== undefined) {
      app.use(async (c, next) => {
        twice.between(callOf(c).call);
        await next();
      });
      app.use(currentMiddleware({ setup: (c) => twice.setup(c.req.path) }));
    }
    if (aroundLock !== undefined) {
      app.use(async (c, next) => {
        await aroundLock.before(callOf(c).call);
        try {
          await next();
        } finally {
          aroundLock.after(callOf(c).call);
        }
      });
    }
    let lock: HonoLock | undefined;
    if (lockOptions !== undefined) {
      const { key, onRejected, ...options } = lockOptions;
      const rejected = onRejectedFor(onRejected);
      const withRejected = rejected === undefined ? options : { ...options, onRejected: rejected };
      lock = key === undefined ? globalLock(withRejected) : keyedLock({ ...withRejected, key: (c) => key(c.req.path) });
      app.use(lock);
    }
    app.all('*', async (c) => {
      const { call, answer } = callOf(c);
      await route(call);
      return answer();
    });
    app.onError((error, c) => c.text(onError?.(error, callOf(c).call) ?? 'failed', 500));
    const server = await listen(getRequestListener(app.fetch));
    return { ...server, lockStats: () => (lock as HonoLock).stats };
  },
};

describeContract(honoAdapter);
describeKeepAliveContract(honoAdapter);
