import { fastifyCurrent } from 'current-attributes/fastify';
import Fastify from 'fastify';
import { Current } from './current.js';
import { propagator } from './propagator.js';

/** Service B (Fastify): reads the values service A sent, if A signed them. */
export async function createServiceB() {
  const app = Fastify();
  await app.register(fastifyCurrent, { propagator, deadlineMs: 10_000 });
  app.get('/invoices', async () => ({
    tenant: Current.tenant ?? null,
    userId: Current.userId ?? null,
    requestId: Current.requestId,
    apiToken: Current.apiToken ?? null, // always null here: hidden values never travel
  }));
  return app;
}
