import { listen } from '../../test/support/listen.js';
import { describeUsageExample } from '../support/describe-usage-example.js';
import { createApp } from './app.js';

describeUsageExample('the Koa example', async (balances) => {
  const app = createApp(balances);
  app.silent = true;
  return listen(app.callback());
});
