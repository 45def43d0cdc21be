import { bindToContext } from '../core/bind.js';
import { InvalidArgumentError } from '../core/errors.js';
import { describeValue } from '../core/validate.js';

/** The names of `T`'s methods. */
export type MethodName<T> = { [K in keyof T]-?: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T] &
  string;

const wrapped = Symbol('current-attributes.bound-callbacks');
type Method = ((...args: unknown[]) => unknown) & { [wrapped]?: true };

/**
 * Makes the named methods of one object (a pool, a limiter, a channel) bind
 * every function passed to them to the caller's scope, so a callback or a
 * task runs in the request that handed it over, whichever request the
 * object calls it from. Opt-in and per object: the library's prototype, and
 * every other instance, stay as they are. Returns the same object; wrapping
 * a method twice does nothing.
 *
 * Only functions passed directly as arguments are bound (not those inside
 * an array or an options object), and only by calls through `target`: a
 * client that a pool hands out is another object, with methods of its own.
 *
 * @param target - the object, typically right where it is made.
 * @param methods - the names of its methods that take callbacks or tasks.
 * @throws {InvalidArgumentError} when `target` is not an extensible object, `methods` is empty, or a name is not a method of `target`.
 * @example
 * ```ts
 * const pool = bindCallbacks(new pg.Pool(), ['query']);      // pool.query(sql, values, callback)
 * const queue = bindCallbacks(new PQueue({ concurrency: 1 }), ['add']); // queue.add(task)
 * ```
 */
export function bindCallbacks<T extends object>(target: T, methods: readonly MethodName<T>[]): T {
  if (target === null || (typeof target !== 'object' && typeof target !== 'function')) {
    throw new InvalidArgumentError(`Expected \`target\` to be an object, got ${describeValue(target)}.`);
  }
  if (!Array.isArray(methods) || methods.length === 0) {
    throw new InvalidArgumentError(
      `Expected \`methods\` to be a non-empty array of method names, got ${describeValue(methods)}.`,
    );
  }
  if (!Object.isExtensible(target)) {
    throw new InvalidArgumentError(
      'Expected `target` to be an object that can take methods of its own, got a frozen, sealed or non-extensible one: bind each callback with `bind(fn)` instead.',
    );
  }
  const record = target as Record<string, unknown>;
  for (const name of methods) {
    if (typeof name !== 'string' || typeof record[name] !== 'function') {
      throw new InvalidArgumentError(
        `Expected \`methods\` to name methods of \`target\`, got ${describeValue(name)}, which is ${describeValue(record[name as string])}.`,
      );
    }
  }
  for (const name of methods) {
    const original = record[name] as Method;
    if (original[wrapped]) continue;
    const method: Method = function (this: unknown, ...args: unknown[]) {
      for (let index = 0; index < args.length; index += 1) {
        const arg = args[index];
        if (typeof arg === 'function') args[index] = bindToContext(arg as (...a: unknown[]) => unknown);
      }
      return original.apply(this, args);
    };
    method[wrapped] = true;
    Object.defineProperty(target, name, { value: method, writable: true, configurable: true, enumerable: false });
  }
  return target;
}
