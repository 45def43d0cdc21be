import { getRequestListener } from '@hono/node-server';
import { afterEach } from 'vitest';
import { listen, type RunningServer } from '../../support/listen.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves `app` with @hono/node-server's listener on 127.0.0.1, closed after the test; resolves with its URL. */
export async function serve(app: { readonly fetch: Parameters<typeof getRequestListener>[0] }): Promise<string> {
  server = await listen(getRequestListener(app.fetch));
  return server.url;
}
