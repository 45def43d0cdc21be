import { defineCurrent } from 'current-attributes';
import { currentMiddleware } from 'current-attributes/express';
import express from 'express';
import { db, findUser } from './db.js';

const Current = defineCurrent(
  class {
    user?: string; // one value per request
  },
);

export const app = express();
app.use(currentMiddleware());
app.get('/me', async (req, res) => {
  Current.user = await findUser(req.get('authorization'));
  await db.query('select * from preferences');
  res.json({ user: Current.user });
});
