import { createServer } from 'node:http';
import { createHandler } from './app.js';

const port = Number(process.env.PORT ?? 3000);
createServer(createHandler()).listen(port, '127.0.0.1', () => {
  console.log(`Listening on http://127.0.0.1:${port}`);
  console.log(`Try: curl -H 'authorization: token-ann' http://127.0.0.1:${port}/me`);
});
