import { currentMiddleware, globalLock, keyedLock, type LockMiddleware } from 'current-attributes/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { listen } from '../../support/listen.js';
import { type AdapterUnderTest, type Call, describeContract } from './contract.js';

function callOf(req: Request, res: Response): Call {
  return {
    path: req.path,
    header: (name) => req.get(name),
    write: (text) => res.write(text),
    end: (text) => res.end(text),
    onFinish: (listener) => res.on('finish', listener),
    onClose: (listener) => res.on('close', listener),
  };
}

const expressAdapter: AdapterUnderTest = {
  name: 'Express',
  async start({ lock: lockOptions, route, onError }) {
    const app = express();
    app.use(currentMiddleware());
    let lock: LockMiddleware | undefined;
    if (lockOptions !== undefined) {
      const { key, ...options } = lockOptions;
      lock = key === undefined ? globalLock(options) : keyedLock({ ...options, key: (req) => key(req.path) });
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
