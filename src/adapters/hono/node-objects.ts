import { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';

/** Node's request and response under a Hono context. */
export interface NodeObjects {
  readonly incoming: IncomingMessage;
  readonly outgoing: ServerResponse;
}

/**
 * The Node request and response under a Hono context, as @hono/node-server's
 * HTTP/1 server passes them in `c.env`; `undefined` for every other server
 * (Bun, Deno, workerd, HTTP/2, `app.request()`), which are followed through
 * the web-standard Request and Response instead.
 */
export function nodeObjectsOf(c: Context): NodeObjects | undefined {
  const env = c.env as { incoming?: unknown; outgoing?: unknown } | undefined;
  const incoming = env?.incoming;
  const outgoing = env?.outgoing;
  return incoming instanceof IncomingMessage && outgoing instanceof ServerResponse ? { incoming, outgoing } : undefined;
}

let alreadySent: Response | undefined;

/**
 * The answer that tells @hono/node-server to write nothing (the handler wrote
 * to Node's response, or nobody reads it): its `RESPONSE_ALREADY_SENT`, a
 * Response with the `x-hono-already-sent` header, made here so that the
 * adapter does not need @hono/node-server installed on other runtimes.
 */
export function responseAlreadySent(): Response {
  alreadySent ??= new Response(null, { headers: { 'x-hono-already-sent': 'true' } });
  return alreadySent;
}

/**
 * Replaces the Response of `c` after the chain ran. Hono's `c.res` setter
 * copies the previous Response's headers onto a second new Response when one
 * is set; clearing it first hands over `response` as it is (its headers are
 * the previous one's already), one Response less per request.
 */
export function replaceResponse(c: Context, response: Response): void {
  c.res = undefined;
  c.res = response;
}

/**
 * Whether `response` tells @hono/node-server to write nothing: ours, or its
 * own `RESPONSE_ALREADY_SENT` returned by a handler (it carries the header).
 */
export function isResponseAlreadySent(response: Response | undefined): boolean {
  return response === alreadySent || response?.headers.has('x-hono-already-sent') === true;
}
