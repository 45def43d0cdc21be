import type { Context, MiddlewareHandler } from 'hono';
import { runEventsInScopeOnceListened } from '../../request/events-in-scope.js';
import { checkScopeOptions, type ScopeOptions, setupThen } from '../../request/scope-options.js';
import { scopeOpenedFor } from '../../request/scoped-request.js';
import { HonoScopedRequest } from './follow-up.js';
import { nodeObjectsOf } from './node-objects.js';

/** Options of `currentMiddleware` from `current-attributes/hono`. */
export interface HonoCurrentOptions extends ScopeOptions<(c: Context) => unknown> {}

/**
 * Hono middleware, for apps served by @hono/node-server (Node only), that
 * gives every request a fresh scope: each `Current` holds that request's
 * values in the middleware and handlers after it, before and after their
 * `await next()`, in `app.onError` and `app.notFound`, and in the Node
 * response's `'finish'` listeners (`c.env.outgoing`). The request ends when
 * its response is complete, or, if the client hung up first, when the rest
 * of the chain settles (at most `abandonedHoldMs` later): then reset
 * callbacks run once and the values are dropped.
 *
 * It needs Node's request and response, which @hono/node-server passes as
 * `c.env.incoming` and `c.env.outgoing`; elsewhere (Bun, Deno, workers,
 * HTTP/2, `app.request()`) it throws `NodeServerRequiredError`. Mount it
 * first: a `setup` that throws reaches `app.onError` outside the scope.
 * Mounted again in the same request (a sub-app that mounts it too), it keeps
 * the request's scope and runs its own `setup` in it.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or is not one it takes.
 * @example
 * ```ts
 * import { serve } from '@hono/node-server';
 * import { Hono } from 'hono';
 * import { currentMiddleware } from 'current-attributes/hono';
 *
 * const app = new Hono();
 * app.use(currentMiddleware({ setup: (c) => { Current.requestId = c.req.header('x-request-id') ?? Current.requestId; } }));
 * app.get('/me', (c) => c.json({ user: Current.user, requestId: Current.requestId }));
 * serve({ fetch: app.fetch, port: 3000 });
 * ```
 */
export function currentMiddleware(options: HonoCurrentOptions = {}): MiddlewareHandler {
  const { setup, settings } = checkScopeOptions(options);
  return async function currentAttributes(c, next) {
    const { incoming, outgoing } = nodeObjectsOf(c);
    // Mounted again in this request (a sub-app): keep the request's scope, run this setup in it.
    if (scopeOpenedFor(incoming) !== undefined) {
      await setupThen(setup, c, next)();
      return;
    }
    const request = new HonoScopedRequest(c, incoming, outgoing, settings);
    // @hono/node-server writes the response after the middleware chain settled, outside its scope.
    runEventsInScopeOnceListened(outgoing, request.scope);
    const chain = request.run(setupThen(setup, c, next));
    request.handlerReturned(chain);
    await chain;
  };
}
