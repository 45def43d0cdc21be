import { randomUUID } from 'node:crypto';
import { defineCurrent } from 'current-attributes';
import { currentMiddleware } from 'current-attributes/express';
import express from 'express';

class Attributes {
  requestId = randomUUID();
}
export const RequestIds = defineCurrent(Attributes, { name: 'RequestIds' });

/**
 * The bug: no currentMiddleware(). Every request reads the out-of-scope
 * defaults, made once at start-up: one request id for all of them. The
 * process warns once (CURRENT_ATTRIBUTES_READ_OUTSIDE_SCOPE).
 */
export function createAppWithoutMiddleware() {
  const app = express();
  app.get('/id', (_req, res) => res.json({ requestId: RequestIds.requestId }));
  return app;
}

/** The fix: the middleware first; each request gets a fresh instance, and so an id of its own. */
export function createApp() {
  const app = express();
  app.use(currentMiddleware());
  app.get('/id', (_req, res) => res.json({ requestId: RequestIds.requestId }));
  return app;
}
