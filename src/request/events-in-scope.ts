import type { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { type Scope, storage } from '../core/scope.js';

/**
 * Makes every event `emitter` emits from now on run its listeners in `scope`,
 * whichever async context emits it. For a request's own streams, whose events
 * Node emits from the connection's context: the body's chunks that arrive in
 * later socket reads, and the events of a response queued behind a pipelined
 * one, which Node flushes from the previous request's write callback.
 */
export function runEventsInScope(emitter: EventEmitter, scope: Scope): void {
  const emit = emitter.emit;
  // An own property of this one emitter: other requests and the prototype keep Node's emit.
  emitter.emit = function (this: EventEmitter, ...args: Parameters<EventEmitter['emit']>) {
    if (args[0] === 'pipe') produceInScope(args[1], scope);
    return storage.run(scope, Reflect.apply, emit, this, args) as boolean;
  };
}

/**
 * Makes a stream piped into a request's response produce its body in the
 * request's scope: its `_read` (a `Readable.from(generator)` steps the
 * generator there) and its `_destroy` (the generator's `finally`) run in
 * `scope`, whichever context the flow calls them from. Koa pipes the body
 * after the middleware chain settled, outside every scope.
 */
function produceInScope(source: unknown, scope: Scope): void {
  if (!(source instanceof Readable)) return;
  const { _read: read, _destroy: destroy } = source;
  // Own properties of this one stream.
  source._read = function (this: Readable, ...args: Parameters<Readable['_read']>) {
    storage.run(scope, Reflect.apply, read, this, args);
  };
  source._destroy = function (this: Readable, ...args: Parameters<Readable['_destroy']>) {
    storage.run(scope, Reflect.apply, destroy, this, args);
  };
}

/**
 * Makes `emitter`'s events run in `scope` from the moment a listener is added
 * to it from inside `scope` (or a child of it, such as `Current.set`'s): for a
 * response that the framework writes after the middleware chain settled
 * (@hono/node-server), outside the scope. Most requests add no listener to
 * their response, and then its events run as Node emits them.
 */
export function runEventsInScopeOnceListened(emitter: EventEmitter, scope: Scope): void {
  const listenerAdded = (event: string | symbol) => {
    // A pipe into the response adds its 'unpipe' listener before it tells the
    // response its source (`'pipe'`), from wherever the framework pipes it.
    if (event !== 'unpipe') {
      let store = storage.getStore();
      while (store !== undefined && store !== scope) store = store.parent;
      if (store === undefined) return;
    }
    emitter.removeListener('newListener', listenerAdded);
    runEventsInScope(emitter, scope);
  };
  emitter.on('newListener', listenerAdded);
}

/** Whether a request announces a body, whose chunks may arrive after the handler started. */
export function announcesBody(headers: { 'content-length'?: string; 'transfer-encoding'?: string }): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
