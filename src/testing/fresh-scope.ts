import { runScoped, Scope } from '../core/scope.js';
import { expectFunction } from '../core/validate.js';

/**
 * Runs `runTest` in a fresh scope and ends the scope once it settles: every
 * `Current` starts from its defaults, code under test can write attributes
 * without a request, reset callbacks run at the end, and a failing reset
 * callback fails the run. Made for a test runner's around-each hook
 * (vitest's `aroundEach`, bun's `aroundEach`), like Rails'
 * `CurrentAttributes::TestHelper`; it also runs "another request" inside a
 * test, as `injectOnce` does with its action.
 *
 * `runTest` starts synchronously, inside this call.
 *
 * @returns what `runTest` returned, once it has settled and the scope has ended.
 * @throws {InvalidArgumentError} when `runTest` is not a function (as a rejection).
 * @example
 * ```ts
 * import { aroundEach } from 'vitest';
 * import { withFreshScope } from 'current-attributes/testing';
 *
 * aroundEach(withFreshScope);
 *
 * test('greets the signed-in user', () => {
 *   Current.user = alice;
 *   expect(greeting()).toBe('Hello, Alice');
 * });
 * ```
 */
export async function withFreshScope<R>(runTest: () => R | Promise<R>): Promise<R> {
  expectFunction('runTest', runTest);
  return await runScoped(new Scope(), runTest);
}
