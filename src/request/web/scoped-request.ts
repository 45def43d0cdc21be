import { endScope, Scope, storage } from '../../core/scope.js';
import { Lifetime } from '../../deadline/lifetime.js';
import type { Propagator } from '../../propagation/propagator.js';
import type { WatchSettings } from '../watch.js';
import { WebRequestWatch } from './watch.js';

/** How a middleware opens scopes for web-standard requests: shared by all its requests. */
export interface WebScopeSettings<Subject> extends WatchSettings {
  /** Receives a `ResetCallbackError` raised at the end of the request, where no caller is left to catch it. */
  readonly onResetError: (error: unknown, subject: Subject) => void;
  /** Takes the values trusted senders sent with the request. */
  readonly propagator?: Propagator | undefined;
  /** The request's deadline in ms, or Infinity. */
  readonly deadlineMs?: number;
}

/**
 * One web-standard request's fresh scope, from the first middleware until its
 * Response's body was read or cancelled, or until the handler answered a
 * body the runtime sends whole (see `WebRequestWatch`): a streamed body's
 * source reads the request's values until then. Then its reset
 * callbacks run once and its values are dropped. As on Node, the scope's
 * signal aborts when the client leaves or the deadline passes, and a
 * propagator fills it from the request's headers before any setup runs; a
 * web-standard request tells no peer address, so only a `secret` can make a
 * sender trusted here.
 */
export class WebScopedRequest<Subject> extends WebRequestWatch<WebScopeSettings<Subject>> {
  readonly scope: Scope;
  readonly lifetime = new Lifetime();

  constructor(
    request: Request,
    readonly subject: Subject,
    settings: WebScopeSettings<Subject>,
  ) {
    super(request, settings);
    this.scope = new Scope(undefined, -1, undefined, request, this.lifetime);
    const { propagator, deadlineMs } = settings;
    if (deadlineMs !== undefined && deadlineMs !== Number.POSITIVE_INFINITY) this.lifetime.limitTo(deadlineMs);
    if (propagator !== undefined) storage.run(this.scope, () => propagator.accept(request.headers));
    // The watch may have seen an aborted signal before the scope existed.
    if (this.disconnected) this.lifetime.disconnected();
  }

  /** Runs `fn` in the request's scope. */
  run<R>(fn: () => R): R {
    return storage.run(this.scope, fn);
  }

  protected override onDisconnect(): void {
    this.lifetime.disconnected();
  }

  protected onEnd(): void {
    this.lifetime.ended();
    try {
      endScope(this.scope);
    } catch (error) {
      this.settings.onResetError(error, this.subject);
    }
  }
}
