import { createCurrentApp, createPooledApp } from './app.js';

createPooledApp().listen(3008, '127.0.0.1');
createCurrentApp().listen(3009, '127.0.0.1', () => {
  console.log('Pooled state on :3008, Current on :3009. Try, on each port:');
  console.log("  curl -H 'authorization: ann' http://127.0.0.1:3008/me && curl http://127.0.0.1:3008/me");
});
