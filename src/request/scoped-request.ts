import type { IncomingMessage, ServerResponse } from 'node:http';
import { endScope, isPromiseLike, Scope, storage } from '../core/scope.js';
import { Lifetime } from '../deadline/lifetime.js';
import type { Propagator } from '../propagation/propagator.js';
import { announcesBody, runEventsInScope } from './events-in-scope.js';
import type { Production } from './production.js';
import { RequestWatch, type WatchSettings } from './watch.js';
import type { WatchedRequest } from './watched-request.js';

/** How a middleware opens request scopes: shared by all its requests. */
export interface ScopedRequestSettings extends WatchSettings {
  /** Receives a `ResetCallbackError` raised at the end of the request, where no caller is left to catch it. */
  readonly onResetError: (error: unknown, req: IncomingMessage, res: ServerResponse) => void;
  /** Takes the values trusted senders sent with the request. */
  readonly propagator?: Propagator | undefined;
  /** The request's deadline in ms, or Infinity. */
  readonly deadlineMs?: number;
}

/**
 * One request's fresh scope, from the first middleware to the end of the
 * request's work (see `RequestWatch`): then its reset callbacks run once and
 * its values are dropped. Until then, the handler reads its own values, also
 * after its client hung up. Dropping them at the end is not what keeps
 * requests apart (a scope is never reused); it is what makes a callback that
 * lost its context (a pool's socket created during this request) read
 * defaults afterwards rather than this request's user.
 *
 * The request's body and a pipelined response emit their events from other
 * contexts, so those two get their events run in the scope; a request without
 * a body and a response that owns its socket cost nothing extra.
 *
 * Adapters whose framework still writes the response after its handler
 * override `followUp`; its watch, scope and lifetime are parts, not base
 * classes, so the common request builds them without a `super()` chain.
 *
 * @example
 * ```ts
 * http.createServer((req, res) => {
 *   const request = new ScopedRequest(req, res, settings);
 *   request.handlerReturned(request.run(() => handle(req, res)));
 * });
 * ```
 */
export class ScopedRequest implements WatchedRequest {
  readonly lifetime = new Lifetime();
  readonly scope: Scope;
  readonly watch: RequestWatch;
  /** The handler's promise until the client leaves: see `handlerReturned`. */
  #handler: PromiseLike<unknown> | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly settings: ScopedRequestSettings,
  ) {
    const scope = new Scope(undefined, -1, undefined, req, this.lifetime);
    this.scope = scope;
    this.watch = new RequestWatch(req, res, settings, this);
    if (this.watch.queued) runEventsInScope(res, scope);
    if (announcesBody(req.headers)) runEventsInScope(req, scope);
    const { propagator, deadlineMs } = settings;
    if (deadlineMs !== undefined && deadlineMs !== Number.POSITIVE_INFINITY) this.lifetime.limitTo(deadlineMs);
    if (propagator !== undefined) {
      storage.run(scope, () => propagator.accept(req.headers, { peer: req.socket.remoteAddress }));
    }
  }

  /** Runs `fn` in the request's scope. */
  run<R>(fn: () => R): R {
    return storage.run(this.scope, fn);
  }

  /**
   * Tells the request what its handler returned. A promise is followed to its
   * end only if the client leaves first: only then does the request's end wait
   * for it, and most requests never pay for a reaction on it.
   */
  handlerReturned(result: unknown): void {
    if (!isPromiseLike(result)) return;
    if (this.watch.disconnected) this.#follow(result);
    else this.#handler = result;
  }

  /** Tells the request its handler is done (see `RequestWatch.handlerDone`). */
  handlerDone(): void {
    this.watch.handlerDone();
  }

  /** @internal Called by the watch. */
  onDisconnect(): void {
    this.lifetime.disconnected();
    const handler = this.#handler;
    if (handler === undefined) return;
    this.#handler = undefined;
    this.#follow(handler);
  }

  #follow(handler: PromiseLike<unknown>): void {
    handler.then(
      (value) => this.handlerSettled(value, false),
      (error: unknown) => this.handlerSettled(error, true),
    );
  }

  /** The handler's promise settled after its client left, with `outcome`: its value, or its error when `rejected`. */
  protected handlerSettled(_outcome: unknown, _rejected: boolean): void {
    this.handlerDone();
  }

  /** @internal Called by the watch; nothing to follow unless the adapter's framework writes after its handler. */
  followUp(_production: Production): void {}

  /** @internal Called by the watch. */
  onEnd(): void {
    this.lifetime.ended();
    try {
      endScope(this.scope);
    } catch (error) {
      this.resetFailed(error);
    }
  }

  /** A reset callback failed at the end of the request: tell the adapter's `onResetError`. */
  protected resetFailed(error: unknown): void {
    this.settings.onResetError(error, this.req, this.res);
  }
}

/**
 * The scope a scope middleware already opened for `req`, when the calling
 * code runs in it (or in a child of it): a second mount of the middleware in
 * the same request (a router or sub-app that mounts it again) reuses it
 * rather than opening a second scope that would hide what was set before it.
 * `undefined` for the first mount, and where the request's context was lost.
 */
export function scopeOpenedFor(req: IncomingMessage | Request): Scope | undefined {
  for (let scope = storage.getStore(); scope !== undefined; scope = scope.parent) {
    if (scope.owner === req) return scope;
  }
  return undefined;
}
