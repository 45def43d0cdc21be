import type { Context, MiddlewareHandler, Next } from 'hono';
import { runEventsInScopeOnceListened } from '../../request/events-in-scope.js';
import { checkScopeOptions, type ScopeOptions, setupThen } from '../../request/scope-options.js';
import { scopeOpenedFor } from '../../request/scoped-request.js';
import { WebScopedRequest, type WebScopeSettings } from '../../request/web/scoped-request.js';
import { HonoScopedRequest } from './follow-up.js';
import { nodeObjectsOf } from './node-objects.js';
import { handBack } from './web-request.js';
import { followWholeBodies } from './whole-bodies.js';

/** Options of `currentMiddleware` from `current-attributes/hono`. */
export interface HonoCurrentOptions extends Omit<ScopeOptions<(c: Context) => unknown>, 'onResetError'> {
  /**
   * Receives the `ResetCallbackError` when a reset callback fails at the end
   * of a request, where no caller is left to catch it, with the request's
   * context. Default: a process warning (`process.emitWarning`).
   */
  readonly onResetError?: (error: unknown, c: Context) => void;
}

/**
 * Hono middleware that gives every request a fresh scope, on every runtime
 * Hono runs on: each `Current` holds that request's values in the middleware
 * and handlers after it, before and after their `await next()`, in
 * `app.onError` and `app.notFound`, and in what produces a streamed body.
 * The request ends when its response is complete, or, if the client hung up
 * first, when the rest of the chain settles (at most `abandonedHoldMs`
 * later): then reset callbacks run once and the values are dropped.
 *
 * On @hono/node-server's HTTP/1 server it follows Node's response (its
 * `'finish'` listeners, `c.env.outgoing`, see the values too). Elsewhere
 * (`Bun.serve`, `Deno.serve`, workerd, HTTP/2, `app.request()`) it follows
 * the web-standard Response: the request is complete once the server read
 * its body to the end or cancelled it, or, for a body the runtime sends
 * whole (`c.text`, `c.json`, `c.html`, `c.body` of a string, bytes, a Blob
 * or nothing), once the chain handed it back; a client that left is the
 * request's aborted `signal`. A caller of `app.request()` that never reads
 * the body keeps the request open. Mount it first: a `setup` that throws
 * reaches `app.onError` outside the scope. Mounted again in the same request
 * (a sub-app that mounts it too), it keeps the request's scope and runs its
 * own `setup` in it.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or is not one it takes.
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { currentMiddleware } from 'current-attributes/hono';
 *
 * const app = new Hono();
 * app.use(currentMiddleware({ setup: (c) => { Current.requestId = c.req.header('x-request-id') ?? Current.requestId; } }));
 * app.get('/me', (c) => c.json({ user: Current.user, requestId: Current.requestId }));
 * export default app; // Bun, Deno, workerd; or serve({ fetch: app.fetch }) from @hono/node-server
 * ```
 */
export function currentMiddleware(options: HonoCurrentOptions = {}): MiddlewareHandler {
  const { setup, settings } = checkScopeOptions(options);
  // Checked as a function by checkScopeOptions; Hono's hook takes the context.
  const onResetError = settings.onResetError as unknown as (error: unknown, c: Context) => void;
  const { abandonedHoldMs, propagator, deadlineMs } = settings;
  const webSettings: WebScopeSettings<Context> = { abandonedHoldMs, onResetError, propagator, deadlineMs };
  return async function currentAttributes(c, next) {
    const node = nodeObjectsOf(c);
    // Mounted again in this request (a sub-app): keep the request's scope, run this setup in it.
    if (scopeOpenedFor(node?.incoming ?? c.req.raw) !== undefined) {
      await setupThen(setup, c, next)();
      return;
    }
    if (node === undefined) return scopeWebRequest(c, next, setup, webSettings);
    const request = new HonoScopedRequest(c, onResetError, node.incoming, node.outgoing, settings);
    // @hono/node-server writes the response after the middleware chain settled, outside its scope.
    runEventsInScopeOnceListened(node.outgoing, request.scope);
    const chain = request.run(setupThen(setup, c, next));
    request.handlerReturned(chain);
    await chain;
  };
}

/** A web-standard request: its scope lasts until its Response's body was read or cancelled. */
async function scopeWebRequest(
  c: Context,
  next: Next,
  setup: ((c: Context) => unknown) | undefined,
  settings: WebScopeSettings<Context>,
): Promise<void> {
  const request = new WebScopedRequest(c.req.raw, c, settings);
  followWholeBodies(c);
  try {
    await request.run(setupThen(setup, c, next));
  } catch (error) {
    request.handlerDone();
    throw error;
  }
  handBack(c, request);
}
