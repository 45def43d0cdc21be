import { isPromiseLike } from '../core/scope.js';

/**
 * When a handler returned a promise, tells `watch` once that promise has
 * settled, so a request whose client hung up ends when its handler does.
 * A plain return says nothing: a callback-style handler returns before its
 * work is done. Returns a promise that settles as the result does, so the
 * caller still sees a rejection, and if nobody handles it Node reports it
 * once, as it would without the watch.
 */
export function followSettled(watch: { handlerDone(): void }, result: unknown): unknown {
  if (!isPromiseLike(result)) return result;
  return Promise.resolve(result).then(
    (value) => {
      watch.handlerDone();
      return value;
    },
    (error: unknown) => {
      watch.handlerDone();
      throw error;
    },
  );
}
