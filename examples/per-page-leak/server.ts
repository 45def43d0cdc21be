import { createCurrentApp, createLeakyApp, createLockedApp } from './app.js';

createLeakyApp().listen(3005, '127.0.0.1');
createCurrentApp().listen(3006, '127.0.0.1');
createLockedApp().listen(3007, '127.0.0.1', () => {
  console.log('Leaky on :3005, Current on :3006, globalLock on :3007. Try:');
  console.log("  npx autocannon -c 20 -d 5 'http://127.0.0.1:3005/items?per_page=7'");
});
