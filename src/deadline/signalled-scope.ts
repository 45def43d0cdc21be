import { Scope, storage } from '../core/scope.js';
import { ClientDisconnectedError, DeadlineExceededError } from './errors.js';

/**
 * The scope of one request, which knows its deadline and makes its abort
 * signal on first read: a request nobody asks for a signal pays for two
 * fields and no `AbortController`, no timer, no listener.
 */
export class SignalledScope extends Scope {
  /** When the request's deadline passes, in `performance.now()` ms; Infinity when it has none. */
  deadlineAt = Number.POSITIVE_INFINITY;
  /** The request's deadline as given, for the error's message. */
  deadlineMs = Number.POSITIVE_INFINITY;
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Why the request was aborted before anyone read its signal. */
  #reason: unknown;

  /** Sets the deadline to `ms` from now, or keeps the sooner one already set (a caller's, or the adapter's). */
  limitTo(ms: number): void {
    const at = performance.now() + ms;
    if (at >= this.deadlineAt) return;
    this.deadlineAt = at;
    this.deadlineMs = ms;
    if (this.#controller !== undefined) this.#arm();
  }

  /** The signal, made now if nobody asked before. */
  get signal(): AbortSignal {
    if (this.#controller !== undefined) return this.#controller.signal;
    const controller = new AbortController();
    this.#controller = controller;
    if (this.#reason !== undefined) controller.abort(this.#reason);
    else this.#arm();
    return controller.signal;
  }

  /** Aborts with `reason`, or remembers it for a signal made later. Later reasons are ignored. */
  abort(reason: unknown): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#disarm();
    this.#controller?.abort(reason);
  }

  /** The client hung up. */
  disconnected(): void {
    this.abort(new ClientDisconnectedError());
  }

  /** The request is over: its deadline no longer matters. */
  ended(): void {
    this.#disarm();
  }

  /** Whether the signal was made: only then is there anyone to tell. */
  get signalRead(): boolean {
    return this.#controller !== undefined;
  }

  #arm(): void {
    this.#disarm();
    if (this.deadlineAt === Number.POSITIVE_INFINITY) return;
    const remaining = Math.max(0, this.deadlineAt - performance.now());
    this.#timer = setTimeout(() => this.abort(new DeadlineExceededError(this.deadlineMs)), remaining);
    this.#timer.unref();
  }

  #disarm(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** The request scope the active scope belongs to, or `undefined` outside a request. */
export function activeRequestScope(): SignalledScope | undefined {
  let scope = storage.getStore();
  while (scope !== undefined && !(scope instanceof SignalledScope)) scope = scope.parent;
  return scope;
}
