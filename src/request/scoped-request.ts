import type { IncomingMessage, ServerResponse } from 'node:http';
import { endScope, isPromiseLike, type Scope, storage } from '../core/scope.js';
import { SignalledScope } from '../deadline/signalled-scope.js';
import type { Propagator } from '../propagation/propagator.js';
import { announcesBody, runEventsInScope } from './events-in-scope.js';
import { RequestWatch, type WatchSettings } from './watch.js';

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
 */
export class ScopedRequest extends RequestWatch<ScopedRequestSettings> {
  readonly scope = new SignalledScope(undefined, -1, undefined, this.req);
  /** The handler's promise until the client leaves: see `handlerReturned`. */
  #handler: PromiseLike<unknown> | undefined;

  constructor(req: IncomingMessage, res: ServerResponse, settings: ScopedRequestSettings) {
    super(req, res, settings);
    if (this.queued) runEventsInScope(res, this.scope);
    if (announcesBody(req.headers)) runEventsInScope(req, this.scope);
    const { propagator, deadlineMs } = settings;
    if (deadlineMs !== undefined && deadlineMs !== Number.POSITIVE_INFINITY) this.scope.limitTo(deadlineMs);
    if (propagator !== undefined) {
      storage.run(this.scope, () => propagator.accept(req.headers, { peer: req.socket.remoteAddress }));
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
    if (this.disconnected) this.#follow(result);
    else this.#handler = result;
  }

  protected override onDisconnect(): void {
    this.scope.disconnected();
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

  protected onEnd(): void {
    this.scope.ended();
    try {
      endScope(this.scope);
    } catch (error) {
      this.settings.onResetError(error, this.req, this.res);
    }
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
