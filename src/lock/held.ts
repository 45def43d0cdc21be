import { Scope, storage } from '../core/scope.js';

/**
 * Whether the calling code runs inside the critical section marked with
 * `token`. Known only inside a scope (a request with `currentMiddleware`, a
 * job in `Current.run`, a test in `withFreshScope`): the marks travel with
 * the library's one AsyncLocalStorage, since a second one would slow every
 * promise of the process on Node < 24.
 */
export function isHeldHere(token: object): boolean {
  return storage.getStore()?.held.includes(token) ?? false;
}

/** Runs `fn` marked as inside the critical section of `token`, when a scope is active. */
export function runHolding<R>(token: object, fn: () => R): R {
  const scope = storage.getStore();
  if (scope === undefined) return fn();
  return storage.run(new Scope(scope, -1, [...scope.held, token]), fn);
}
