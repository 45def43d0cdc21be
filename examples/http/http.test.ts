import { listen } from '../../test/support/listen.js';
import { describeUsageExample } from '../support/describe-usage-example.js';
import { createHandler } from './app.js';

describeUsageExample('the node:http example', async (balances) => listen(createHandler(balances)));
