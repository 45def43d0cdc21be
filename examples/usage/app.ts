import { currentMiddleware } from 'current-attributes/express';
import express from 'express';
import { Current } from './current.js';
import { findUser } from './users.js';

export function createApp() {
  const app = express();
  app.use(
    currentMiddleware({
      setup: (req) => {
        Current.requestId = req.get('x-request-id') ?? Current.requestId;
      },
    }),
  );
  app.use(async (req, _res, next) => {
    Current.user = await findUser(req.get('authorization'));
    next();
  });
  app.get('/me', (_req, res) => {
    res.json({ user: Current.user?.name, account: Current.account, requestId: Current.requestId });
  });
  app.get('/admin', async (_req, res) => {
    if (!Current.isAdmin) return void res.status(403).json({ error: 'admins only' });
    const greeting = await Current.set({ locale: 'fr' }, async () => `Bonjour (${Current.locale})`);
    res.json({ greeting, localeAfterwards: Current.locale });
  });
  return app;
}
