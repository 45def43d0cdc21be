import type { Context } from 'hono';

/** Responses that Hono's own factories made from a body the runtime holds whole. */
const wholeResponses = new WeakSet<Response>();
/** Contexts whose factories are followed already: the scope's middleware and a lock's both ask. */
const followed = new WeakSet<Context>();

type Factory = (...args: unknown[]) => unknown;

/**
 * Follows what the response factories of `c` (`c.text`, `c.json`, `c.html`,
 * `c.body`, `c.newResponse`, and `c.redirect` through it) make, for this
 * request only: a Response made from a string, bytes, a Blob or no body is
 * remembered as sent whole (see `isSentWhole`). Why here: a Response does
 * not tell what its body was made from (its `body` is a ReadableStream
 * either way), and following every body through a stream of our own costs
 * Bun and Deno their fast path for a body they hold whole (measured on Bun
 * 1.4.5: 3.5 times the CPU per request of the same Hono app with
 * `hono/context-storage`; docs/benchmarks/runtimes.md).
 */
export function followWholeBodies(c: Context): void {
  if (followed.has(c)) return;
  followed.add(c);
  const factories = c as unknown as Record<'text' | 'json' | 'html' | 'body' | 'newResponse', Factory>;
  const { text, json, html, body, newResponse } = factories;
  factories.text = (...args) => remember(text(...args));
  factories.json = (...args) => remember(json(...args));
  // `c.html()` of a Promise (JSX) answers a Promise of the Response, made from the string it resolved to.
  factories.html = (...args) => remember(html(...args));
  factories.body = (...args) => (isWhole(args[0]) ? remember(body(...args)) : body(...args));
  factories.newResponse = (...args) => (isWhole(args[0]) ? remember(newResponse(...args)) : newResponse(...args));
}

/**
 * Whether `response` was made by a factory of a followed context from a body
 * the runtime sends whole, with no code of the request running meanwhile. A
 * Response built otherwise (`new Response(...)` in the handler, a copy that
 * `c.header()` makes after `next()`, a ReadableStream body) is not known to
 * be, and is followed until its body was read.
 */
export function isSentWhole(response: Response): boolean {
  return wholeResponses.has(response);
}

function remember(made: unknown): unknown {
  if (made instanceof Response) wholeResponses.add(made);
  else if (made instanceof Promise) return made.then(remember);
  return made;
}

/** A body the Response holds whole: no source of the application produces it while it is sent. */
function isWhole(data: unknown): boolean {
  return (
    data === null ||
    data === undefined ||
    typeof data === 'string' ||
    data instanceof ArrayBuffer ||
    ArrayBuffer.isView(data) ||
    data instanceof Blob
  );
}
