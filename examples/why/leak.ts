import express from 'express';
import { db, findUser } from './db.js';

let currentUser: string | undefined; // one variable for every request in flight

export const app = express();
app.get('/me', async (req, res) => {
  currentUser = await findUser(req.get('authorization'));
  await db.query('select * from preferences'); // any await: a query, a fetch
  res.json({ user: currentUser }); // by now another request may have overwritten it
});
