import { AsyncLocalStorage } from 'node:async_hooks';
import { ResetCallbackError } from './errors.js';
import { runThenCleanUp } from './settle.js';

// Adapters import it from here, with the scope functions they use it with.
export { isPromiseLike } from './settle.js';

/** What a scope needs to know about one `Current` definition. */
export interface ScopedDefinition {
  readonly id: number;
  create(): object;
  readonly beforeReset: ReadonlyArray<() => void>;
  readonly afterReset: ReadonlyArray<() => void>;
}

/** The locks held by a scope outside any critical section: one shared, frozen empty list, not one per request. */
const NO_LOCKS: readonly object[] = Object.freeze([]);

/**
 * The state of one request, job or `run`: one instance per definition,
 * created on first use. A child scope (made by `Current.set`, or by a lock
 * for its critical section) delegates every definition but the one it forks
 * (none, for a lock) to its parent, so writes inside it still reach the
 * request.
 */
export class Scope {
  /**
   * Instances by definition id. A root scope has a slot for each definition
   * defined so far: filling the first slot of an empty list would grow it
   * to seventeen. A child scope holds only the forked definition's.
   */
  readonly instances: (object | undefined)[];

  constructor(
    readonly parent?: Scope,
    readonly forkedId = -1,
    /** Tokens of the locks whose critical section this scope runs in, so a lock can refuse to wait for itself. */
    readonly held: readonly object[] = parent?.held ?? NO_LOCKS,
    /** What the scope was opened for: an adapter's request, so a second mount in that request finds it. */
    readonly owner?: object,
    /**
     * The deadline and abort signal of the request (or job) the scope
     * belongs to, a `Lifetime` of src/deadline/ (`lifetimeOf`): opaque to
     * the core, which only hands it down, so a child shares its parent's.
     */
    readonly lifetime: object | undefined = parent?.lifetime,
  ) {
    this.instances = parent === undefined ? new Array(definitions.length) : [];
  }

  /** The instance of `definition` in this scope, built on first use. Hot: every read of `Current` calls it. */
  instanceFor(definition: ScopedDefinition): object {
    return this.instances[definition.id] ?? this.#resolve(definition);
  }

  #resolve(definition: ScopedDefinition): object {
    if (this.parent !== undefined && definition.id !== this.forkedId) return this.parent.instanceFor(definition);
    const instance = definition.create();
    this.instances[definition.id] = instance;
    return instance;
  }

  /** The scope that holds the instance of `definition`: this one, or the ancestor it delegates that definition to. */
  ownerOf(definition: ScopedDefinition): Scope {
    return this.parent !== undefined && definition.id !== this.forkedId ? this.parent.ownerOf(definition) : this;
  }

  /** Installs `instance` (or, with `undefined`, drops it) for `definition` in the scope that owns it. */
  adopt(definition: ScopedDefinition, instance: object | undefined): void {
    if (this.parent !== undefined && definition.id !== this.forkedId) {
      this.parent.adopt(definition, instance);
      return;
    }
    this.instances[definition.id] = instance;
  }
}

/**
 * The one AsyncLocalStorage of the library. Every definition shares it:
 * on Node < 24 each active AsyncLocalStorage adds a cost to every promise.
 */
export const storage = new AsyncLocalStorage<Scope>();

const definitions: ScopedDefinition[] = [];

/** Adds a definition to the registry and gives it its id. */
export function register<T extends ScopedDefinition>(build: (id: number) => T): T {
  const definition = build(definitions.length);
  definitions.push(definition);
  return definition;
}

/**
 * Runs the reset callbacks of `definition` around dropping its instance, in
 * the scope's context so callbacks read the old values. Every callback runs
 * even if an earlier one throws; the failures are returned.
 */
export function resetDefinition(scope: Scope, definition: ScopedDefinition): readonly unknown[] {
  const { beforeReset, afterReset } = definition;
  // The common case (no callbacks) is on every request's path: no context switch, no allocation.
  if (beforeReset.length === 0 && afterReset.length === 0) {
    scope.adopt(definition, undefined);
    return NO_ERRORS;
  }
  const errors: unknown[] = [];
  const runAll = (callbacks: ReadonlyArray<() => void>) => {
    for (const callback of callbacks) {
      try {
        callback();
      } catch (error) {
        errors.push(error);
      }
    }
  };
  storage.run(scope, () => {
    runAll(beforeReset);
    scope.adopt(definition, undefined);
    runAll(afterReset);
  });
  return errors;
}

const NO_ERRORS: readonly unknown[] = [];

/**
 * Ends a scope: resets every definition used in it, in definition order.
 *
 * @throws {ResetCallbackError} when a reset callback failed; the scope is cleared anyway.
 */
export function endScope(scope: Scope): void {
  let errors: readonly unknown[] = NO_ERRORS;
  const { instances } = scope;
  for (let id = 0; id < instances.length; id += 1) {
    if (instances[id] === undefined) continue;
    const failures = resetDefinition(scope, definitions[id] as ScopedDefinition);
    if (failures.length > 0) errors = [...errors, ...failures];
  }
  if (errors.length > 0) throw new ResetCallbackError(errors);
}

/**
 * Runs `fn` in `scope` and ends the scope when `fn` returns, throws, or (when
 * it returns a promise) settles. If `fn` failed, its error wins and a reset
 * failure is reported as a process warning, so neither is lost.
 */
export function runScoped<R>(scope: Scope, fn: () => R): R {
  return runThenCleanUp(
    () => storage.run(scope, fn),
    () => endScope(scope),
  );
}

/** A scope opened by a framework adapter for one request. */
export interface RequestScope {
  /** Runs `fn` inside the scope; call it once with the rest of the request's handling. */
  run<R>(fn: () => R): R;
  /**
   * Ends the scope: runs reset callbacks and drops the instances. Later
   * calls do nothing.
   *
   * @throws {ResetCallbackError} when a reset callback failed; the scope is cleared anyway.
   */
  end(): void;
}

/**
 * Opens a fresh scope for one request, for framework adapters: run the
 * request's handling in it, and end it when the response is done. Always a
 * new scope, even inside another one, so a server started inside a scope
 * never shares it between requests.
 *
 * @example
 * ```ts
 * http.createServer((req, res) => {
 *   const scope = openScope();
 *   res.once('close', () => scope.end());
 *   scope.run(() => handle(req, res));
 * });
 * ```
 */
export function openScope(): RequestScope {
  const scope = new Scope();
  let ended = false;
  return {
    run: (fn) => storage.run(scope, fn),
    end() {
      if (ended) return;
      ended = true;
      endScope(scope);
    },
  };
}
