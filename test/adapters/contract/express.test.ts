import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { currentMiddleware, globalLock, keyedLock, type LockMiddleware, lockSignal } from 'current-attributes/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { listen } from '../../support/listen.js';
import { type AdapterUnderTest, type Call, describeContract, type Rejection } from './contract.js';
import { describeKeepAliveContract } from './keep-alive.js';

function callOf(req: Request, res: Response): Call {
  return {
    path: req.path,
    socket: req.socket,
    header: (name) => req.get(name),
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

/** `onRejected` in Express's idiom: answer through `res`, or pass an error on. */
function onRejectedFor(rejection: Rejection | undefined) {
  switch (rejection) {
    case undefined:
      return undefined;
    case 'throws':
      return (error: Error) => {
        throw new Error(`rethrown ${error.name}`);
      };
    case 'rejects':
      return async (error: Error) => {
        throw new Error(`rethrown ${error.name}`);
      };
    case 'answers-nothing':
      return async () => undefined;
    case 'sets-status':
      return (_error: Error, _req: Request, res: Response) => {
        res.status(429);
      };
  }
}

const expressAdapter: AdapterUnderTest = {
  name: 'Express',
  knowsHandlerEnd: false,
  // Express's idiom: onRejected answers through res itself, maybe later from a callback (res.render).
  answersForOnRejected: false,
  async start({ lock: lockOptions, scope, aroundLock, route, onError }) {
    const { mountedTwice: twice, setup, ...scopeOptions } = scope ?? {};
    const app = express();
    app.use(currentMiddleware({ ...scopeOptions, setup: (req) => setup?.(req.path) }));
    if (twice !== undefined) {
      app.use((req, res, next) => {
        twice.between(callOf(req, res));
        next();
      });
      // A router that mounts it again, as a sub-app's author would.
      const router = express.Router();
      router.use(currentMiddleware({ setup: (req) => twice.setup(req.path) }));
      app.use(router);
    }
    if (aroundLock !== undefined) {
      app.use(async (req, res, next) => {
        await aroundLock.before(callOf(req, res));
        next();
      });
    }
    let lock: LockMiddleware | undefined;
    if (lockOptions !== undefined) {
      const { key, onRejected, ...options } = lockOptions;
      const rejected = onRejectedFor(onRejected);
      const withRejected = rejected === undefined ? options : { ...options, onRejected: rejected };
      lock = key === undefined ? globalLock(withRejected) : keyedLock({ ...withRejected, key: (req) => key(req.path) });
      app.use(lock);
    }
    app.use(async (req, res) => {
      await route(callOf(req, res));
    });
    app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
      res.status(500).send(onError?.(error, callOf(req, res)) ?? 'failed');
    });
    const server = await listen(app);
    return { ...server, lockStats: () => (lock as LockMiddleware).stats };
  },
};

describeContract(expressAdapter);
describeKeepAliveContract(expressAdapter);
