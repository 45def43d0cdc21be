import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  globalLock,
  type HttpHandler,
  type HttpLock,
  keyedLock,
  lockSignal,
  withCurrent,
} from 'current-attributes/http';
import type { LockError } from 'current-attributes/lock';
import { listen } from '../../support/listen.js';
import { type AdapterUnderTest, type Call, describeContract, type Rejection } from './contract.js';
import { describeKeepAliveContract } from './keep-alive.js';

function callOf(req: IncomingMessage, res: ServerResponse): Call {
  return {
    path: new URL(req.url ?? '/', 'http://127.0.0.1').pathname,
    socket: req.socket,
    header: (name) => req.headers[name.toLowerCase()] as string | undefined,
    write: (text) => res.write(text),
    end: (text) => res.end(text),
    onFinish: (listener) => res.on('finish', listener),
    onClose: (listener) => res.on('close', listener),
    lockSignal: () => lockSignal(req),
    stream: (source) => {
      pipeline(Readable.from(source()), res).catch(() => undefined);
    },
  };
}

/** `onRejected` in node:http's idiom: answer through `res`. */
function onRejectedFor(rejection: Rejection | undefined) {
  switch (rejection) {
    case undefined:
      return undefined;
    case 'throws':
      return (error: LockError) => {
        throw new Error(`rethrown ${error.name}`);
      };
    case 'rejects':
      return async (error: LockError) => {
        throw new Error(`rethrown ${error.name}`);
      };
    case 'answers-nothing':
      return async () => undefined;
    case 'sets-status':
      return (_error: LockError, _req: IncomingMessage, res: ServerResponse) => {
        res.statusCode = 429;
      };
  }
}

const httpAdapter: AdapterUnderTest = {
  name: 'node:http',
  endsScopeOfLeftWaiter: true,
  resumesAroundLock: true,
  // As Express's: the hook answers through res itself.
  answersForOnRejected: false,
  async start({ lock: lockOptions, scope, aroundLock, route, onError }) {
    const { mountedTwice: twice, setup, ...scopeOptions } = scope ?? {};
    const answerError = (error: unknown, req: IncomingMessage, res: ServerResponse) => {
      res.statusCode = 500;
      res.end(onError?.(error, callOf(req, res)) ?? 'failed');
    };
    // A plain handler has no error handling of its own: this one's is a try/catch.
    let handler: HttpHandler = async (req, res) => {
      try {
        await route(callOf(req, res));
      } catch (error) {
        answerError(error, req, res);
      }
    };
    let lock: HttpLock | undefined;
    if (lockOptions !== undefined) {
      const { key, onRejected, ...options } = lockOptions;
      const rejected = onRejectedFor(onRejected);
      const withRejected = {
        ...options,
        onError: answerError,
        ...(rejected === undefined ? {} : { onRejected: rejected }),
      };
      lock =
        key === undefined
          ? globalLock(withRejected)
          : keyedLock({ ...withRejected, key: (req) => key(req.url ?? '/') });
      handler = lock(handler);
    }
    if (aroundLock !== undefined) {
      const locked = handler;
      handler = async (req, res) => {
        await aroundLock.before(callOf(req, res));
        try {
          await locked(req, res);
        } finally {
          aroundLock.after(callOf(req, res));
        }
      };
    }
    if (twice !== undefined) {
      const inner = withCurrent(handler, { setup: (req) => twice.setup(req.url ?? '/') });
      handler = (req, res) => {
        twice.between(callOf(req, res));
        return inner(req, res);
      };
    }
    const server = await listen(withCurrent(handler, { ...scopeOptions, setup: (req) => setup?.(req.url ?? '/') }));
    return { ...server, lockStats: () => (lock as HttpLock).stats };
  },
};

describeContract(httpAdapter);
describeKeepAliveContract(httpAdapter);
