import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPromiseLike, storage } from '../../core/scope.js';
import { expectFunction } from '../../core/validate.js';
import { checkScopeOptions, type ScopeOptions } from '../../request/scope-options.js';
import { ScopedRequest, scopeOpenedFor } from '../../request/scoped-request.js';
import { followSettled } from '../../request/settled.js';

/** A node:http request handler, as `http.createServer` takes it. */
export type HttpHandler<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse> = (
  req: Req,
  res: Res,
) => unknown;

/** Options of `withCurrent`. */
export interface WithCurrentOptions<Req extends IncomingMessage, Res extends ServerResponse>
  extends Pick<ScopeOptions<never>, 'propagator' | 'deadlineMs'> {
  /** Runs first in every request's fresh scope, before the handler: set attributes from the request. May be async. */
  readonly setup?: (req: Req, res: Res) => unknown;
  /** Receives a `ResetCallbackError` raised at the end of a request. Default: `process.emitWarning`. */
  readonly onResetError?: (error: unknown, req: Req, res: Res) => void;
  /**
   * How long a handler whose client hung up keeps its values while it has
   * neither ended its response nor settled, in ms. `Infinity` waits. Default 30 000.
   */
  readonly abandonedHoldMs?: number;
}

/**
 * Wraps a node:http handler so every request runs in a fresh scope, from
 * `setup` through the handler to the end of the request: the response
 * complete, or, if the client hung up first, the handler's end of the
 * response or its promise settling (at most `abandonedHoldMs` later). Then
 * reset callbacks run once and the values are dropped.
 *
 * The wrapped handler returns what the handler returns; a rejection stays
 * yours to handle, as with any node:http handler. Called again inside a
 * wrapped handler for the same request, it keeps the request's scope and
 * runs its own `setup` in it.
 *
 * @throws {InvalidArgumentError} when `handler` is not a function or an option has the wrong type or is not one it takes.
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { withCurrent } from 'current-attributes/http';
 *
 * createServer(withCurrent(async (req, res) => {
 *   Current.user = await users.find(req.headers['x-user']);
 *   res.end(`Hello, ${Current.user?.name}`);
 * })).listen(3000, '127.0.0.1');
 * ```
 */
export function withCurrent<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>(
  handler: HttpHandler<Req, Res>,
  options: WithCurrentOptions<Req, Res> = {},
): HttpHandler<Req, Res> {
  expectFunction('handler', handler);
  const { setup, settings } = checkScopeOptions(options, 'withCurrent()');
  const handle = (req: Req, res: Res): unknown => {
    if (setup === undefined) return handler(req, res);
    const pending = setup(req, res);
    return isPromiseLike(pending) ? Promise.resolve(pending).then(() => handler(req, res)) : handler(req, res);
  };

  return (req, res) => {
    // Wrapped again inside a wrapped handler: keep the request's scope, run this setup and handler in it.
    if (scopeOpenedFor(req) !== undefined) return handle(req, res);
    const request = new ScopedRequest(req, res, settings);
    return followSettled(request, storage.run(request.scope, handle, req, res));
  };
}
