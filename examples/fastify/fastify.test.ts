import { describeUsageExample } from '../support/describe-usage-example.js';
import { createApp } from './app.js';

describeUsageExample('the Fastify example', async (balances) => {
  const app = await createApp(balances);
  return { url: await app.listen({ port: 0, host: '127.0.0.1' }), close: () => app.close() };
});
