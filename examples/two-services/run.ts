import type { AddressInfo } from 'node:net';
import { createServiceA } from './service-a.js';
import { createServiceB } from './service-b.js';

const serviceB = await createServiceB();
await serviceB.listen({ port: 0, host: '127.0.0.1' });
const urlB = `http://127.0.0.1:${(serviceB.server.address() as AddressInfo).port}`;
const { app } = createServiceA(urlB);
const serviceA = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = serviceA.address() as AddressInfo;
  console.log(`Try: curl -H 'x-tenant: acme' -H 'x-user: 7' -H 'authorization: t' http://127.0.0.1:${port}/dashboard`);
  console.log(`and a forged header straight to B: curl -H 'baggage: tenant=victim' ${urlB}/invoices`);
});
