import { currentMiddleware } from 'current-attributes/express';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { Current } from './current.js';

const authenticate: RequestHandler = (req, _res, next) => {
  Current.user = req.get('x-user');
  next();
};
const answerErrors: ErrorRequestHandler = (error: Error, _req, res, _next) => {
  res.status(500).json({ error: error.message });
};

/** The bug: `authenticate` runs before the middleware opened a scope, so its write throws ScopeMissingError. */
export function createAppAuthenticatingFirst() {
  const app = express();
  app.use(authenticate);
  app.use(currentMiddleware());
  app.get('/me', (_req, res) => res.json({ user: Current.user }));
  app.use(answerErrors);
  return app;
}

/** The fix: the middleware first, then everything that uses Current (parsers, authentication, routes). */
export function createApp() {
  const app = express();
  app.use(currentMiddleware());
  app.use(authenticate);
  app.get('/me', (_req, res) => res.json({ user: Current.user }));
  app.use(answerErrors);
  return app;
}
