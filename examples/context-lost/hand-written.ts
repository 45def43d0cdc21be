import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';

/** What a hand-written request context keeps. */
export const storage = new AsyncLocalStorage<{ user?: string | undefined }>();

/**
 * Don't: `enterWith` sets the store of the connection's own async context.
 * Where Node implements AsyncLocalStorage with async hooks (Node 20 and 22,
 * Node 24 with --no-async-context-frame), the next request on a keep-alive
 * connection starts in it, before its own `enterWith`.
 */
export const enterWithMiddleware: RequestHandler = (req, _res, next) => {
  storage.enterWith({ user: req.get('x-user') });
  next();
};

/**
 * Better, but not enough: `run` gives each request its own store, yet Node
 * emits a request body's later chunks from the connection's context, so a
 * `'data'` listener of a body that arrives in two reads loses it.
 */
export const runMiddleware: RequestHandler = (req, _res, next) => {
  storage.run({ user: req.get('x-user') }, next);
};
