import type { FastifyRequest, RouteHandlerMethod } from 'fastify';
import { isPromiseLike } from '../scope.js';

/** Per request, what waits for its route handler's promise to settle: the plugin's scope, the lock hooks. */
const waiting = new WeakMap<FastifyRequest, Array<() => void>>();

/**
 * Calls `callback` once `request`'s route handler has returned a promise and
 * it settled: how a request whose client hung up learns its handler is done
 * (Fastify has no hook for that, and a streamed reply's end never reaches
 * the response after a disconnect). Never, for a handler the plugin did not
 * wrap or one that does not return a promise.
 */
export function afterHandler(request: FastifyRequest, callback: () => void): void {
  const callbacks = waiting.get(request);
  if (callbacks === undefined) waiting.set(request, [callback]);
  else callbacks.push(callback);
}

/** Runs `afterHandler` callbacks of a request whose handler will never run: a lock's waiter whose client left. */
export function skipHandler(request: FastifyRequest): void {
  for (const callback of waiting.get(request) ?? []) callback();
}

/** Wraps a route's handler so `afterHandler` callbacks run once its promise settles; the result is unchanged. */
export function followHandler(handler: RouteHandlerMethod): RouteHandlerMethod {
  return function followedHandler(request, reply) {
    const result = handler.call(this, request, reply);
    const callbacks = waiting.get(request);
    if (callbacks !== undefined && isPromiseLike(result)) {
      const settled = () => {
        for (const callback of callbacks) callback();
      };
      result.then(settled, settled);
    }
    return result;
  };
}
