import { registeredAs } from '../core/registry.js';
import { runScoped, Scope } from '../core/scope.js';
import type { Attributes, CurrentControls } from '../core/types.js';
import { expectFunction, expectPlainObject } from '../core/validate.js';

/**
 * Runs `fn` in a fresh scope in which `current` holds `values` (assigned
 * through its setters) and every other definition its
 * defaults, and ends the scope once `fn` settled, running reset callbacks:
 * code under test that reads `Current.user` (a service resolved from a Nest
 * testing module, a repository, a logger) sees the values the test chose,
 * with no request and no middleware. nestjs-cls's `cls.runWith(store, fn)`,
 * typed from the class. Nested calls for other definitions add theirs:
 * `withCurrent(Current, a, () => Tenant.set(b, fn))`.
 *
 * @returns what `fn` returned, once it has settled and the scope has ended.
 * @throws {InvalidArgumentError} when `current` is not a `Current`, `values` not a plain object, or `fn` not a function (as a rejection).
 * @throws {ResetCallbackError} when a reset callback throws at the scope's end (as a rejection).
 * @example
 * ```ts
 * const moduleRef = await Test.createTestingModule({ providers: [Greeter] }).compile();
 *
 * test('greets the signed-in user', async () => {
 *   const greeting = await withCurrent(Current, { user: alice }, () => moduleRef.get(Greeter).greet());
 *   expect(greeting).toBe('Hello, Alice');
 * });
 * ```
 */
export async function withCurrent<T extends object, R>(
  current: CurrentControls<T>,
  values: Attributes<T>,
  fn: () => R | Promise<R>,
): Promise<R> {
  registeredAs('current', current);
  expectPlainObject('values', values);
  expectFunction('fn', fn);
  return await runScoped(new Scope(), () => {
    // Assigned, not `set`: the values stay until the scope ends, so reset callbacks see them too.
    for (const [key, value] of Object.entries(values)) Reflect.set(current, key, value);
    return fn();
  });
}
