import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import { InvalidArgumentError } from './errors.js';
import { describeValue, expectFunction } from './validate.js';

/**
 * Returns `fn` bound to the current async context, so it sees this scope's
 * `Current` wherever it is called from: a connection pool's callback, a
 * user-land queue, a listener of a shared emitter.
 *
 * @example
 * ```ts
 * pool.query(sql, bind((error, rows) => log(Current.requestId, rows)));
 * ```
 */
export function bind<F extends (...args: never[]) => unknown>(fn: F): F {
  expectFunction('fn', fn);
  return bindToContext(fn);
}

/**
 * `fn` bound to the current async context, passing `this` and the arguments
 * through. Not `AsyncLocalStorage.bind`: Bun's drops the receiver (`this` is
 * `null` inside; oven-sh/bun#36114), so an emitter's listener or a method
 * bound with it broke. A snapshot and `Reflect.apply` behave alike on every
 * runtime, with no closure per call, and map onto TC39's
 * `AsyncContext.Snapshot#run`.
 */
export function bindToContext<F extends (...args: never[]) => unknown>(fn: F): F {
  const inContext = AsyncLocalStorage.snapshot();
  return function (this: unknown, ...args: unknown[]) {
    return inContext(Reflect.apply, fn, this, args);
  } as unknown as F;
}

/**
 * Captures the current async context. The returned function runs a callback
 * in that context, with any arguments.
 *
 * @example
 * ```ts
 * const inRequest = snapshot();
 * queue.push(() => inRequest(() => audit(Current.user)));
 * ```
 */
export function snapshot(): <R, A extends unknown[]>(fn: (...args: A) => R, ...args: A) => R {
  return AsyncLocalStorage.snapshot();
}

const wrapped = Symbol('current-attributes.wrapped');
const patched = Symbol('current-attributes.bound-emitter');

type Listener = ((...args: unknown[]) => unknown) & { [wrapped]?: unknown; listener?: unknown };
type Patchable = EventEmitter & { [patched]?: true };

/**
 * Makes every listener added to `emitter` from now on run in the async
 * context it was added from, whichever context emits the event. Listeners
 * added before the call are left as they are. Returns the same emitter.
 *
 * Hand-written because Node has no per-listener binding for an existing
 * emitter: `EventEmitterAsyncResource` binds every listener to the emitter's
 * creation context, which is the wrong request for a shared emitter.
 *
 * @throws {InvalidArgumentError} when `emitter` is not an EventEmitter.
 * @example
 * ```ts
 * const jobs = bindEmitter(new EventEmitter()); // shared by every request
 * app.get('/wait', (req, res) => {
 *   jobs.once('done', () => res.json({ user: Current.user })); // this request's user
 * });
 * ```
 */
export function bindEmitter<E extends EventEmitter>(emitter: E): E {
  const target = emitter as Patchable;
  if (
    target === null ||
    typeof target !== 'object' ||
    typeof target.prependListener !== 'function' ||
    typeof target.rawListeners !== 'function'
  ) {
    throw new InvalidArgumentError(`Expected \`emitter\` to be an EventEmitter, got ${describeValue(emitter)}.`);
  }
  if (target[patched]) return emitter;
  target[patched] = true;

  // `once` and `prependOnceListener` call `on`/`prependListener` with their
  // own wrapper, so patching the two primitives covers all four.
  for (const method of ['on', 'addListener', 'prependListener'] as const) {
    const add = target[method];
    target[method] = function (this: EventEmitter, event: string | symbol, listener: Listener) {
      expectFunction('listener', listener);
      const bound = bindToContext(listener);
      bound[wrapped] = listener;
      // Node's removeListener and listeners() unwrap `.listener`, so the
      // user's own function still finds and names its bound copy.
      bound.listener = listener.listener ?? listener;
      return add.call(this, event, bound);
    };
  }
  for (const method of ['removeListener', 'off'] as const) {
    const remove = target[method];
    target[method] = function (this: EventEmitter, event: string | symbol, listener: Listener) {
      const raw = (this.rawListeners(event) as Listener[]).findLast((entry) => entry[wrapped] === listener);
      return remove.call(this, event, raw ?? listener);
    };
  }
  return emitter;
}
