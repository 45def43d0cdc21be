import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { describeUsageExample } from '../support/describe-usage-example.js';
import { createApp } from './app.js';

describeUsageExample('the Hono example', async (balances) => {
  const server = serve({ fetch: createApp(balances).fetch, port: 0, hostname: '127.0.0.1' });
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
});
