import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isPromiseLike, storage } from '../../core/scope.js';
import { checkScopeOptions, type ScopeOptions } from '../../request/scope-options.js';
import { ScopedRequest, scopeOpenedFor } from '../../request/scoped-request.js';

/** Options of `currentMiddleware`. */
export interface CurrentMiddlewareOptions extends Pick<ScopeOptions<never>, 'propagator' | 'deadlineMs'> {
  /**
   * Runs first in every request's fresh scope, before the next middleware:
   * the place to set attributes from the request. May be async; a throw or
   * rejection goes to Express's error handling (`next(error)`).
   */
  readonly setup?: (req: Request, res: Response) => unknown;
  /**
   * Receives the `ResetCallbackError` when a reset callback fails at the end
   * of a request, where no caller is left to catch it. Default: a process
   * warning (`process.emitWarning`), printed on stderr.
   */
  readonly onResetError?: (error: unknown, req: Request, res: Response) => void;
  /**
   * How long a request whose client hung up keeps its values for a handler
   * that has not ended its response, in ms; then its reset callbacks run.
   * `Infinity` waits for the handler. Default 30 000.
   */
  readonly abandonedHoldMs?: number;
}

/**
 * Express middleware (4 and 5) that gives every request a fresh scope, so
 * each `Current` holds that request's values from here to the end of the
 * request: in later middleware, route handlers, error handlers, body
 * streams, `'finish'` listeners and Express 5 async rejections. The request
 * ends when its response is complete, or, if the client hung up first, when
 * the handler ends the response (or `abandonedHoldMs` later): then reset
 * callbacks run once and the values are dropped.
 *
 * Mount it before anything that reads or writes `Current`. Every request
 * gets a new scope, even if the server runs inside one. Mounted again in the
 * same request (a router or sub-app that mounts it too), it keeps the
 * request's scope and runs its own `setup` in it: values set between the two
 * mounts stay, and reset callbacks run once.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or is not one it takes.
 * @example
 * ```ts
 * app.use(currentMiddleware({
 *   setup: (req) => { Current.requestId = req.get('x-request-id') ?? Current.requestId; },
 * }));
 * app.get('/me', (req, res) => res.json({ user: Current.user }));
 * ```
 */
export function currentMiddleware(options: CurrentMiddlewareOptions = {}): RequestHandler {
  const { setup, settings } = checkScopeOptions(options);

  const runSetup = (req: Request, res: Response, next: NextFunction) => {
    let pending: unknown;
    try {
      pending = (setup as NonNullable<typeof setup>)(req, res);
    } catch (error) {
      return next(error);
    }
    if (!isPromiseLike(pending)) return next();
    pending.then(
      () => next(),
      (error: unknown) => next(error ?? new Error('currentMiddleware: setup rejected without a reason')),
    );
  };

  return function currentAttributes(req: Request, res: Response, next: NextFunction) {
    // Mounted again in this request (a router, a sub-app): keep the request's scope, run this setup in it.
    if (scopeOpenedFor(req) !== undefined) {
      if (setup === undefined) next();
      else runSetup(req, res, next);
      return;
    }
    const request = new ScopedRequest(req, res, settings);
    if (setup === undefined) request.run(next as () => void);
    else storage.run(request.scope, runSetup, req, res, next);
  };
}
