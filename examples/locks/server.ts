import { createApp as createGlobalLockApp } from './global-lock.js';
import { createApp as createKeyedLockApp } from './keyed-lock.js';

createKeyedLockApp({ locked: true }).listen(3003, '127.0.0.1');
createGlobalLockApp().listen(3004, '127.0.0.1', () => {
  console.log('keyedLock:  curl -X POST http://127.0.0.1:3003/accounts/alice/deposit');
  console.log("globalLock: curl -H 'x-user: ann' http://127.0.0.1:3004/me  (stats at /lock/stats)");
});
