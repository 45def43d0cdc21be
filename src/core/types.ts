import type { EventEmitter } from 'node:events';
import type { TravelRule } from './travel.js';

type IfEquals<X, Y, Then, Else> = (<G>() => G extends X ? 1 : 2) extends <G>() => G extends Y ? 1 : 2 ? Then : Else;

type WritableKey<T> = {
  [K in keyof T]-?: IfEquals<{ [Q in K]: T[K] }, { -readonly [Q in K]: T[K] }, K, never>;
}[keyof T];

type MethodKey<T> = { [K in keyof T]-?: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];

/**
 * The names of `T` that are attributes: assignable members that are not
 * methods. Getters without a setter are readonly, so they are left out.
 */
export type AttributeKey<T> = Extract<Exclude<WritableKey<T>, MethodKey<T>>, string>;

/** Some of the attributes of `T`, as accepted by `set` and returned by `attributes`. */
export type Attributes<T> = { [K in AttributeKey<T>]?: T[K] };

/** One entry of a serialized payload: `[name, value]`, or `[name]` for undefined (which JSON cannot hold). */
export type AttributeEntry<T> = { [K in AttributeKey<T>]: readonly [K, T[K]] | readonly [K] }[AttributeKey<T>];

/**
 * What `serialize` returns and `restore` reads: plain data (JSON-safe where
 * the values are), versioned so a job enqueued by one release can be
 * restored by the next.
 *
 * @example
 * ```ts
 * await queue.add('welcome', { userId, current: Current.serialize() });
 * // in the worker
 * worker.process((job) => Current.restore(job.data.current, () => sendWelcome(job.data.userId)));
 * ```
 */
export interface SerializedAttributes<T> {
  /** Marks the payload as this library's. */
  readonly format: 'current-attributes';
  /** The layout of the payload; `restore` reads every version up to its own. */
  readonly version: number;
  /** Setter inputs in the order they were last assigned, then fields that differ from their defaults. */
  readonly entries: ReadonlyArray<AttributeEntry<T>>;
}

/** The controls every `Current` has besides the members of its class. */
export interface CurrentControls<T extends object> {
  /**
   * Runs `fn` in a fresh scope (every definition starts from its defaults)
   * and ends the scope, running reset callbacks, when `fn` returns or its
   * promise settles. The outer scope's values are back afterwards.
   */
  run<R>(fn: () => R): R;
  /**
   * Runs `fn` with `attributes` assigned through the class's setters, and
   * when `fn` returns, throws or its promise settles, puts back what the
   * assignment changed: each changed setter runs again with the input it
   * had before, each changed field gets its old value. Attributes it does not
   * name are not touched. Overlapping calls in one request share the
   * request's values, as in Rails.
   */
  set<R>(attributes: Attributes<T>, fn: () => R): R;
  /** Runs the reset callbacks and clears this definition's values in the current scope. */
  reset(): void;
  /** Adds a callback that runs before every reset, while the old values are readable. Returns a function that removes it. */
  beforeReset(callback: () => void): () => void;
  /** Adds a callback that runs after every reset, on the fresh values. Returns a function that removes it. */
  afterReset(callback: () => void): () => void;
  /** A new plain object of what was assigned: each setter's last input, then the fields; `undefined` left out. */
  readonly attributes: Attributes<T>;
  /** Whether a scope is active here (a request, a job, `run`). */
  readonly isActive: boolean;
  /** Returns `fn` bound to the current scope, for callbacks queued by shared objects. */
  bind<F extends (...args: never[]) => unknown>(fn: F): F;
  /** Captures the current scope; the returned function runs a callback in it. */
  snapshot(): <R, A extends unknown[]>(fn: (...args: A) => R, ...args: A) => R;
  /** Makes every listener later added to `emitter` run in the scope it was added from. */
  bindEmitter<E extends EventEmitter>(emitter: E): E;
  /**
   * A structured-clone copy of what was assigned (setter inputs, then
   * fields that differ from their defaults), to hand to a job or a worker.
   */
  serialize(): SerializedAttributes<T>;
  /**
   * Runs `fn` in a fresh scope rebuilt from `payload` (from `serialize`) by
   * assigning its entries in order through the setters.
   */
  restore<R>(payload: SerializedAttributes<T>, fn: () => R): R;
}

/** `Current`: the members of the class, bound to the active scope's instance, plus the controls. */
export type Current<T extends object> = T & CurrentControls<T>;

/**
 * Which attributes travel to other services (`current-attributes/propagation`)
 * and how: `true` (a string, under its own name), a wire name, or a rule
 * with `serialize`/`parse` for a value that is not a string.
 */
export type TravelOptions<T> = { readonly [K in AttributeKey<T>]?: true | string | TravelRule<T[K]> };

/** Options of `defineCurrent`. */
export interface DefineCurrentOptions<T extends object = object> {
  /**
   * The attributes that travel to other services, through a propagator
   * (`current-attributes/propagation`). Default: none; nothing leaves the
   * process but what you list here.
   */
  readonly travel?: TravelOptions<T>;
  /**
   * Attributes kept in the process and carried only into the application's
   * own jobs and workers (`serializeContext`): `currentLogFields` and the
   * OpenTelemetry bridge refuse them, and they can never travel.
   */
  readonly hidden?: ReadonlyArray<AttributeKey<T>>;
  /** Throw `ScopeMissingError` on reads outside a scope too, not only on writes. Default `false`. */
  readonly strict?: boolean;
  /** The name error messages use for this definition. Default: the class's name. */
  readonly name?: string;
  /**
   * Called by `restore` for each attribute of a payload that the class does
   * not declare (the payload came from an older or newer version of the
   * class); the attribute is dropped. Default: a process warning.
   */
  readonly onUnknownAttribute?: (attribute: string) => void;
  /**
   * Warn once (a `CurrentAttributesWarning`, code
   * `CURRENT_ATTRIBUTES_READ_OUTSIDE_SCOPE`) when the definition is read
   * outside any scope by code that runs on behalf of an HTTP request: the
   * sign of a forgotten or misplaced middleware, whose requests all read the
   * same defaults. Reads from scripts and start-up code never warn. Default
   * `true`; `false` for a definition that requests read outside scopes on
   * purpose.
   */
  readonly warnOutsideScope?: boolean;
}
