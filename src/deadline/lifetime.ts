import { Scope, storage } from '../core/scope.js';
import { ClientDisconnectedError, DeadlineExceededError } from './errors.js';

/** What a request's signal needs once somebody set a deadline, read the signal or aborted it. */
interface SignalState {
  /** The request's deadline as given, for the error's message. */
  deadlineMs: number;
  controller: AbortController | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Why the request was aborted, also before anyone read its signal. */
  reason: unknown;
}

/**
 * The scope of one request, which knows its deadline and makes its abort
 * signal on first read: a request with no deadline that nobody asks for a
 * signal pays for two fields, and no `AbortController`, timer or listener.
 */
export class SignalledScope extends Scope {
  /** When the request's deadline passes, in `performance.now()` ms; Infinity when it has none. */
  deadlineAt = Number.POSITIVE_INFINITY;
  #state: SignalState | undefined;

  #stateOf(): SignalState {
    this.#state ??= {
      deadlineMs: Number.POSITIVE_INFINITY,
      controller: undefined,
      timer: undefined,
      reason: undefined,
    };
    return this.#state;
  }

  /** Sets the deadline to `ms` from now, or keeps the sooner one already set (a caller's, or the adapter's). */
  limitTo(ms: number): void {
    const at = performance.now() + ms;
    if (at >= this.deadlineAt) return;
    this.deadlineAt = at;
    const state = this.#stateOf();
    state.deadlineMs = ms;
    if (state.controller !== undefined && state.reason === undefined) this.#arm(state);
  }

  /** The signal, made now if nobody asked before. */
  get signal(): AbortSignal {
    const state = this.#stateOf();
    if (state.controller !== undefined) return state.controller.signal;
    const controller = new AbortController();
    state.controller = controller;
    if (state.reason !== undefined) controller.abort(state.reason);
    else this.#arm(state);
    return controller.signal;
  }

  /** Aborts with `reason`, or remembers it for a signal made later. Later reasons are ignored. */
  abort(reason: unknown): void {
    const state = this.#stateOf();
    if (state.reason !== undefined) return;
    state.reason = reason;
    disarm(state);
    state.controller?.abort(reason);
  }

  /** The client hung up. */
  disconnected(): void {
    this.abort(new ClientDisconnectedError());
  }

  /** The request is over: its deadline no longer matters. */
  ended(): void {
    if (this.#state !== undefined) disarm(this.#state);
  }

  /** Whether the signal was made: only then is there anyone to tell. */
  get signalRead(): boolean {
    return this.#state?.controller !== undefined;
  }

  #arm(state: SignalState): void {
    disarm(state);
    if (this.deadlineAt === Number.POSITIVE_INFINITY) return;
    const remaining = Math.max(0, this.deadlineAt - performance.now());
    state.timer = setTimeout(() => this.abort(new DeadlineExceededError(state.deadlineMs)), remaining);
    state.timer.unref();
  }
}

function disarm(state: SignalState): void {
  if (state.timer === undefined) return;
  clearTimeout(state.timer);
  state.timer = undefined;
}

/** The request scope the active scope belongs to, or `undefined` outside a request. */
export function activeRequestScope(): SignalledScope | undefined {
  let scope = storage.getStore();
  while (scope !== undefined && !(scope instanceof SignalledScope)) scope = scope.parent;
  return scope;
}
