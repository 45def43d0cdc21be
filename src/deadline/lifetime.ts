import { type Scope, storage } from '../core/scope.js';
import { ClientDisconnectedError, DeadlineExceededError } from './errors.js';

/** What a lifetime needs once somebody set a deadline, read the signal or aborted it. */
interface SignalState {
  /** The request's deadline as given, for the error's message. */
  deadlineMs: number;
  controller: AbortController | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Why the request was aborted, also before anyone read its signal. */
  reason: unknown;
}

/**
 * How long one request (or a job that carries a deadline) may run: its
 * deadline, and the abort signal made on first read. Its scope holds it
 * (`Scope.lifetime`), and every scope opened inside that one shares it. A
 * request with no deadline that nobody asks for a signal pays for this one
 * small object: no `AbortController`, timer or listener.
 *
 * A record beside the scope rather than a subclass of it: TurboFan does not
 * inline a `super()` call, and every request would pay for the construct
 * stubs of that chain (docs/benchmarks/cost.md).
 *
 * @example
 * ```ts
 * const lifetime = new Lifetime();
 * lifetime.limitTo(2_000);
 * await fetch(url, { signal: lifetime.signal });
 * lifetime.ended();
 * ```
 */
export class Lifetime {
  /** When the deadline passes, in `performance.now()` ms; Infinity when there is none. */
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

  /** Whether anything can abort the signal: a deadline was set, or somebody read it. */
  get watched(): boolean {
    return this.deadlineAt !== Number.POSITIVE_INFINITY || this.signalRead;
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

/**
 * The lifetime of the active request (or job with a deadline), or
 * `undefined` outside one.
 *
 * @example
 * ```ts
 * activeLifetime()?.limitTo(500);
 * ```
 */
export function activeLifetime(): Lifetime | undefined {
  const scope = storage.getStore();
  return scope === undefined ? undefined : lifetimeOf(scope);
}

/**
 * The lifetime `scope` holds, or `undefined` for a scope outside any
 * request or job with a deadline. Only this module makes the lifetimes
 * scopes hold; the core keeps them as opaque objects.
 *
 * @example
 * ```ts
 * lifetimeOf(scope)?.ended();
 * ```
 */
export function lifetimeOf(scope: Scope): Lifetime | undefined {
  return scope.lifetime as Lifetime | undefined;
}
