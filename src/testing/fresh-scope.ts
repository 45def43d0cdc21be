import { runScoped, Scope } from '../scope.js';

/**
 * Runs one test in a fresh scope and ends it afterwards, for a test runner's
 * around-each hook (vitest's `aroundEach`, bun's `aroundEach`). Every `Current`
 * starts from its defaults in each test, code under test can write attributes
 * without a request, reset callbacks run when the test ends, and a failing
 * reset callback fails the test. Rails' `CurrentAttributes::TestHelper`, for
 * a runner that is not tied to this library.
 *
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
export async function withFreshScope(runTest: () => Promise<void> | void): Promise<void> {
  await runScoped(new Scope(), runTest);
}
