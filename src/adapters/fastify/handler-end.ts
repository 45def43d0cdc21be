import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { Production } from '../../request/production.js';
import { ScopedRequest, type ScopedRequestSettings } from '../../request/scoped-request.js';

/**
 * The request property that holds its `FastifyScopedRequest`. The plugin
 * declares it with `decorateRequest`, so Fastify's request constructor sets
 * it on every request and all requests keep one shape: a property load that
 * V8's inline caches hit, where a WeakMap would hash the request twice.
 */
export const SCOPED_REQUEST = Symbol('current-attributes.scopedRequest');

/** A Fastify request as the plugin decorated it: `null` until its `onRequest` hook ran. */
type DecoratedRequest = FastifyRequest & { [SCOPED_REQUEST]?: FastifyScopedRequest | null };

/**
 * One Fastify request's scope, which also tells the locks that wait for it
 * when the route's handler is done (Fastify has no hook for that, and a
 * streamed reply's end never reaches the response after a disconnect).
 */
export class FastifyScopedRequest extends ScopedRequest {
  #waiting: (() => void)[] | undefined;
  /** Whether Fastify sends something once the handler settled: its value, or its error through the error handler. */
  #sendFollows = false;

  constructor(request: FastifyRequest, res: ServerResponse, settings: ScopedRequestSettings) {
    super(request.raw as IncomingMessage, res, settings);
    (request as DecoratedRequest)[SCOPED_REQUEST] = this;
  }

  /** Calls `callback` once the route's handler is done, as far as the scope needs to know (see `handlerReturned`). */
  afterHandler(callback: () => void): void {
    if (this.#waiting === undefined) this.#waiting = [callback];
    else this.#waiting.push(callback);
  }

  protected override handlerSettled(outcome: unknown, rejected: boolean): void {
    // An async handler that resolves with nothing after its client left gets no answer from Fastify.
    this.#sendFollows = rejected || outcome !== undefined;
    super.handlerSettled(outcome, rejected);
  }

  /** Fastify serializes, runs the `onSend` hooks and then writes: the request is over once it wrote. */
  override followUp(production: Production): void {
    if (!this.#sendFollows || this.res.writableEnded) return;
    production.expectWrite();
    // Sending when the client left, and no Node stream piped: a ReadableStream, which says nothing once cancelled.
    if (production.startedAtDisconnect && !production.producing) production.unseenWriter();
  }

  override handlerDone(): void {
    super.handlerDone();
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting !== undefined) for (const callback of waiting) callback();
  }
}

/** The scope of `request`, once the plugin's `onRequest` hook opened it; `undefined` where the plugin is not registered. */
export function scopedRequestOf(request: FastifyRequest): FastifyScopedRequest | undefined {
  return (request as DecoratedRequest)[SCOPED_REQUEST] ?? undefined;
}

/** Wraps a route's handler so the request's scope learns what it returned; the result is unchanged. */
export function followHandler(handler: RouteHandlerMethod): RouteHandlerMethod {
  return function followedHandler(request, reply) {
    const result = handler.call(this, request, reply);
    (request as DecoratedRequest)[SCOPED_REQUEST]?.handlerReturned(result);
    return result;
  };
}
