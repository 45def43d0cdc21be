import type { Middleware, ParameterizedContext } from 'koa';
import { runEventsInScopeOnceListened } from '../../request/events-in-scope.js';
import type { Production } from '../../request/production.js';
import { checkScopeOptions, type ScopeOptions, setupThen } from '../../request/scope-options.js';
import { ScopedRequest, type ScopedRequestSettings, scopeOpenedFor } from '../../request/scoped-request.js';

/** Options of `currentMiddleware` from `current-attributes/koa`. */
export interface KoaCurrentOptions extends ScopeOptions<(ctx: ParameterizedContext) => unknown> {}

/**
 * Koa 3 middleware that gives every request a fresh scope, so each `Current`
 * holds that request's values from here to the end of the request: in the
 * middleware after it, before and after their `await next()`, in error
 * handling (an error-handling middleware mounted after this one, Koa's own
 * `ctx.onerror` and the app's `'error'` listeners) and in the response's
 * `'finish'` listeners added from the request's context. The request ends
 * when its response is complete, or, if the client hung up first, when the
 * rest of the chain settles (at most `abandonedHoldMs` later): then reset
 * callbacks run once and the values are dropped.
 *
 * Mount it first: middleware before it runs outside the scope, and so does
 * its `catch` around `await next()`. Mounted again in the same request (a
 * sub-app that mounts it too), it keeps the request's scope and runs its own
 * `setup` in it.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or is not one it takes.
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { currentMiddleware } from 'current-attributes/koa';
 *
 * const app = new Koa();
 * app.use(currentMiddleware({ setup: (ctx) => { Current.requestId = ctx.get('x-request-id') || Current.requestId; } }));
 * app.use(async (ctx) => { ctx.body = { user: Current.user, requestId: Current.requestId }; });
 * ```
 */
export function currentMiddleware(options: KoaCurrentOptions = {}): Middleware {
  const { setup, settings } = checkScopeOptions(options);
  return function currentAttributes(ctx, next) {
    // Mounted again in this request (a sub-app): keep the request's scope, run this setup in it.
    if (scopeOpenedFor(ctx.req) !== undefined) return setupThen(setup, ctx, next)();
    const request = new KoaScopedRequest(ctx, settings);
    // Koa writes the response after the middleware chain settled, outside its scope.
    runEventsInScopeOnceListened(ctx.res, request.scope);
    // Koa calls `ctx.onerror` from outside every middleware's scope: from the
    // promise around the whole chain, and after it settled from the response's
    // on-finished and a streamed body's pipeline callback. An own property of
    // this ctx runs it in this scope on every path; a catch around the chain
    // would miss the last two. on-finished also calls it without an error at
    // the end of every response, where it does nothing: no scope for that.
    const { onerror } = ctx;
    ctx.onerror = (error) => (error == null ? onerror.call(ctx, error) : request.run(() => onerror.call(ctx, error)));
    const chain = request.run(setupThen(setup, ctx, next));
    request.handlerReturned(chain);
    return chain;
  };
}

/** A Koa request's scope: after a hang-up, it also waits for the body Koa pipes once the chain settled. */
class KoaScopedRequest extends ScopedRequest {
  constructor(
    readonly ctx: ParameterizedContext,
    settings: ScopedRequestSettings,
  ) {
    super(ctx.req, ctx.res, settings);
  }

  override followUp(production: Production): void {
    production.follow(this.ctx.body);
  }
}
