import express from 'express';
import httpContext from 'express-http-context';

// Before: string keys, values typed `any`, a `set` that does nothing outside a request.
export function createApp() {
  const app = express();
  app.use(httpContext.middleware);
  app.use((req, _res, next) => {
    httpContext.set('user', req.get('x-user'));
    httpContext.set('requestId', req.get('x-request-id') ?? 'none');
    next();
  });
  app.get('/me', async (_req, res) => {
    await new Promise((resolve) => setImmediate(resolve));
    res.json({ user: httpContext.get('user'), requestId: httpContext.get('requestId') });
  });
  return app;
}
