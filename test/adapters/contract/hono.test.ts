import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { currentMiddleware, globalLock, type HonoLock, keyedLock } from 'current-attributes/hono';
import { type Context, Hono } from 'hono';
import { listen } from '../../support/listen.js';
import { type AdapterUnderTest, type Call, describeContract } from './contract.js';

/** A contract call on a Hono context, and the Response its handler returns once the route is done. */
function callOf(c: Context<{ Bindings: HttpBindings }>) {
  const { outgoing } = c.env;
  let answer: Response | undefined;
  const call: Call = {
    path: c.req.path,
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
  };
  return { call, answer: () => answer ?? c.text('the route did not answer', 500) };
}

const honoAdapter: AdapterUnderTest = {
  name: 'Hono',
  endsScopeOfLeftWaiter: true,
  async start({ lock: lockOptions, scope, route, onError }) {
    const app = new Hono<{ Bindings: HttpBindings }>();
    app.use(currentMiddleware({ ...scope, setup: (c) => scope?.setup?.(c.req.path) }));
    let lock: HonoLock | undefined;
    if (lockOptions !== undefined) {
      const { key, ...options } = lockOptions;
      lock = key === undefined ? globalLock(options) : keyedLock({ ...options, key: (c) => key(c.req.path) });
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
