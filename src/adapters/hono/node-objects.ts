import { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { CurrentAttributesError } from '../../core/errors.js';
import { describeValue } from '../../core/validate.js';

/**
 * Thrown by the Hono middleware of this library when a request did not come
 * through @hono/node-server's HTTP/1 server, so `c.env.incoming` and
 * `c.env.outgoing` are not Node's request and response: on Bun, Deno,
 * workers, HTTP/2, or `app.request()` in a test.
 *
 * @example
 * ```ts
 * import { serve } from '@hono/node-server';
 * serve({ fetch: app.fetch, port: 3000 }); // not Bun.serve(app), not app.request('/')
 * ```
 */
export class NodeServerRequiredError extends CurrentAttributesError {
  override name = 'NodeServerRequiredError';

  constructor(incoming: unknown) {
    super(
      `Expected \`c.env.incoming\` to be a Node IncomingMessage, got ${describeValue(incoming)}. ` +
        'current-attributes/hono runs on Node only: serve the app with `serve({ fetch: app.fetch })` from ' +
        '@hono/node-server (HTTP/1), and in tests send real requests to it rather than `app.request()`.',
    );
  }
}

/** The Node request and response under a Hono context, as @hono/node-server passes them in `c.env`. */
export function nodeObjectsOf(c: Context): { readonly incoming: IncomingMessage; readonly outgoing: ServerResponse } {
  const env = c.env as { incoming?: unknown; outgoing?: unknown } | undefined;
  const incoming = env?.incoming;
  const outgoing = env?.outgoing;
  if (!(incoming instanceof IncomingMessage) || !(outgoing instanceof ServerResponse)) {
    throw new NodeServerRequiredError(incoming);
  }
  return { incoming, outgoing };
}
