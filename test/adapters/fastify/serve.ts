import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { listen, type RunningServer } from '../../support/listen.js';

let served: { server: RunningServer; app: FastifyInstance } | undefined;
afterEach(async () => {
  await served?.server.close();
  await served?.app.close();
  served = undefined;
});

/** Serves `app` through its own request handler on 127.0.0.1, both closed after the test; resolves with the URL. */
export async function serve(app: FastifyInstance): Promise<string> {
  await app.ready();
  served = { server: await listen((req, res) => app.routing(req, res)), app };
  return served.server.url;
}
