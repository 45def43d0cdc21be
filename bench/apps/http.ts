import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { globalLock, withCurrent } from 'current-attributes/http';
import type { Strategy } from '../frameworks.js';
import { contextFor, type FrameworkContexts } from './contexts.js';
import { answer } from './keepers.js';
import { delayOf } from './request.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

// node:http has no middleware: a context wraps the handler. It has no request-context package of its own.
const contexts: FrameworkContexts<(handler: Handler) => Handler> = {
  name: 'node:http',
  lock: () => globalLock(),
  current: () => withCurrent,
  als: (run) => (handler) => (req, res) => run(() => handler(req, res)),
};

/**
 * The plain node:http server of one strategy.
 *
 * @example
 * ```ts
 * (await createHttpServer('global-lock')).listen(0, '127.0.0.1');
 * ```
 */
export async function createHttpServer(strategy: Strategy): Promise<Server> {
  const { before, keeper } = contextFor(strategy, contexts);
  const handler: Handler = async (req, res) => {
    res.end(await answer(keeper, req.headers['x-user']?.toString(), delayOf(req.url)));
  };
  return createServer(before ? before(handler) : handler);
}
