import { restoreContext, type SerializedContext, serializeContext } from '../core/context.js';
import { isPromiseLike, runScoped, Scope, storage } from '../core/scope.js';
import { expectFunction } from '../core/validate.js';

/** Wraps a message handler so each call runs in a fresh scope that starts from the connection's values. */
export type MessageScope = <A extends unknown[], R>(handler: (...args: A) => R) => (...args: A) => R | Promise<R>;

/**
 * For a WebSocket or socket.io connection: runs `setup` once, in a scope of
 * its own, to set the connection's values (the user of the upgrade request,
 * of the handshake), and returns a wrapper for the connection's handlers.
 * Each call of a wrapped handler runs in a fresh scope holding those values,
 * ended (reset callbacks run) when the handler returns or its promise
 * settles, so one message's writes never reach the next, and no handler
 * runs in the scope of whichever request or connection happened to be on
 * the socket before.
 *
 * Needed because a socket's events run in the context the socket was made
 * in, not in a request's: the HTTP adapters never see a WebSocket message.
 * The values travel as `serialize()` carries them, so they must be plain
 * data (an id, a name, a role): a class instance throws
 * `UnserializableAttributeError` at setup. With an async `setup`, a handler
 * called before it settled waits for it and returns a promise.
 *
 * @param setup - sets the connection's values on `Current`; may be async.
 * @throws {InvalidArgumentError} when `setup` or a handler is not a function.
 * @throws whatever `setup` throws, from this call (or, when async, from each wrapped call).
 * @example
 * ```ts
 * wss.on('connection', (socket, req) => {
 *   const inScope = scopePerMessage(() => { Current.userId = userIdFrom(req); });
 *   socket.on('message', inScope((data) => socket.send(`${Current.userId}: ${data}`)));
 * });
 * ```
 */
export function scopePerMessage(setup: () => unknown): MessageScope {
  expectFunction('setup', setup);
  let context: SerializedContext | undefined;
  // Like `run`: fresh values, but a lock the caller holds is still held.
  const captured = runScoped(new Scope(undefined, -1, storage.getStore()?.held), () => {
    const pending = setup();
    return isPromiseLike(pending) ? Promise.resolve(pending).then(() => serializeContext()) : serializeContext();
  });
  let ready: Promise<void> | undefined;
  if (isPromiseLike(captured)) {
    ready = Promise.resolve(captured).then((values) => {
      context = values;
      ready = undefined;
    });
    // Each wrapped call reports a failed setup; this keeps it from being reported unhandled when none comes.
    ready.catch(() => undefined);
  } else {
    context = captured;
  }

  return <A extends unknown[], R>(handler: (...args: A) => R) => {
    expectFunction('handler', handler);
    return function (this: unknown, ...args: A): R | Promise<R> {
      const call = () => restoreContext(context, () => handler.apply(this, args));
      return ready === undefined ? call() : ready.then(call);
    };
  };
}
