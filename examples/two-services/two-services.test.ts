import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { listen, type RunningServer } from '../../test/support/listen.js';
import { createServiceA } from './service-a.js';
import { createServiceB } from './service-b.js';

let serviceB: FastifyInstance;
let serviceA: RunningServer;
let urlB: string;
let stop: () => void;

beforeAll(async () => {
  serviceB = await createServiceB();
  await serviceB.listen({ port: 0, host: '127.0.0.1' });
  urlB = `http://127.0.0.1:${(serviceB.server.address() as AddressInfo).port}`;
  const a = createServiceA(urlB);
  stop = a.stop;
  serviceA = await listen(a.app);
});
afterAll(async () => {
  stop?.();
  await serviceA?.close();
  await serviceB?.close();
});

test('B answers with the tenant, user and request id of the request A served, never its token', async () => {
  const answers = await Promise.all(
    Array.from({ length: 20 }, async (_, index) => {
      const response = await fetch(`${serviceA.url}/dashboard`, {
        headers: { 'x-tenant': `tenant-${index}`, 'x-user': String(index), authorization: `token-${index}` },
      });
      return (await response.json()) as { requestId: string; invoices: Record<string, unknown> };
    }),
  );
  answers.forEach(({ requestId, invoices }, index) => {
    expect(invoices).toEqual({ tenant: `tenant-${index}`, userId: index, requestId, apiToken: null });
  });
});

test('a forged header sent straight to B is ignored', async () => {
  const answer = await (await fetch(`${urlB}/invoices`, { headers: { baggage: 'tenant=victim,user-id=1' } })).json();
  expect(answer).toMatchObject({ tenant: null, userId: null });
});
