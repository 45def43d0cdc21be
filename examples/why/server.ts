import { app as fixed } from './fixed.js';
import { app as leak } from './leak.js';

fixed.listen(3001, '127.0.0.1');
leak.listen(3002, '127.0.0.1', () => {
  console.log('The leaking app is on http://127.0.0.1:3002/me, the fixed one on http://127.0.0.1:3001/me');
  console.log(
    "Fire concurrent requests with: npx autocannon -c 50 -H 'authorization: token-ann' http://127.0.0.1:3002/me",
  );
});
