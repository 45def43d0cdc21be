import type { IncomingMessage, ServerResponse } from 'node:http';
import { globalLock, type HttpHandler, type HttpLock, keyedLock, withCurrent } from 'current-attributes/http';
import { listen } from '../../support/listen.js';
import { type AdapterUnderTest, type Call, describeContract } from './contract.js';

function callOf(req: IncomingMessage, res: ServerResponse): Call {
  return {
    path: new URL(req.url ?? '/', 'http://127.0.0.1').pathname,
    header: (name) => req.headers[name.toLowerCase()] as string | undefined,
    write: (text) => res.write(text),
    end: (text) => res.end(text),
    onFinish: (listener) => res.on('finish', listener),
    onClose: (listener) => res.on('close', listener),
  };
}

const httpAdapter: AdapterUnderTest = {
  name: 'node:http',
  endsScopeOfLeftWaiter: true,
  async start({ lock: lockOptions, scope, route, onError }) {
    // A plain handler has no error handling of its own: this one's is a try/catch.
    let handler: HttpHandler = async (req, res) => {
      try {
        await route(callOf(req, res));
      } catch (error) {
        res.statusCode = 500;
        res.end(onError?.(error, callOf(req, res)) ?? 'failed');
      }
    };
    let lock: HttpLock | undefined;
    if (lockOptions !== undefined) {
      const { key, ...options } = lockOptions;
      lock = key === undefined ? globalLock(options) : keyedLock({ ...options, key: (req) => key(req.url ?? '/') });
      handler = lock(handler);
    }
    const server = await listen(withCurrent(handler, { ...scope, setup: (req) => scope?.setup?.(req.url ?? '/') }));
    return { ...server, lockStats: () => (lock as HttpLock).stats };
  },
};

describeContract(httpAdapter);
