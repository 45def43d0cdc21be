import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { globalLock, withCurrent } from 'current-attributes/http';
import type { Strategy } from '../frameworks.js';
import { answer, currentAttribute, type Keeper, moduleVariable, rawStorage } from './keepers.js';
import { delayOf } from './request.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const handlerWith =
  (keeper: Keeper | undefined): Handler =>
  async (req, res) => {
    res.end(await answer(keeper, req.headers['x-user']?.toString(), delayOf(req.url)));
  };

/** The plain node:http server of one strategy. node:http has no request-context peer. */
export async function createHttpServer(strategy: Strategy): Promise<Server> {
  switch (strategy) {
    case 'bare':
      return createServer(handlerWith(undefined));
    case 'global':
      return createServer(handlerWith(moduleVariable()));
    case 'global-lock':
      return createServer(globalLock()(handlerWith(moduleVariable())));
    case 'current':
      return createServer(withCurrent(handlerWith(currentAttribute())));
    case 'als': {
      const storage = rawStorage();
      const handler = handlerWith(storage);
      return createServer((req, res) => storage.run(() => handler(req, res)));
    }
    case 'peer':
      throw new Error('node:http has no request-context peer to measure.');
  }
}
