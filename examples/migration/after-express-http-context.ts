import { defineCurrent } from 'current-attributes';
import { currentMiddleware } from 'current-attributes/express';
import express from 'express';

// After: each key becomes a typed field; a default replaces `?? 'none'`.
class Attributes {
  user?: string;
  requestId = 'none';
}
export const Current = defineCurrent(Attributes);

export function createApp() {
  const app = express();
  app.use(
    currentMiddleware({
      setup: (req) => {
        Current.user = req.get('x-user');
        Current.requestId = req.get('x-request-id') ?? Current.requestId;
      },
    }),
  );
  app.get('/me', async (_req, res) => {
    await new Promise((resolve) => setImmediate(resolve));
    res.json({ user: Current.user, requestId: Current.requestId });
  });
  return app;
}
