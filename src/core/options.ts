import { closestName } from './closest-name.js';
import { InvalidArgumentError } from './errors.js';
import { expectPlainObject } from './validate.js';

/**
 * Every option name of `T`, each mapped to `true`: written as an object
 * literal, the compiler refuses a list that misses an option of `T` or names
 * one it does not have, so the runtime list cannot drift from the type.
 *
 * @example
 * ```ts
 * const BARRIER_OPTIONS = optionNames<BarrierOptions>({ timeoutMs: true });
 * ```
 */
export type OptionNames<T> = { readonly [K in keyof Required<T>]: true };

/**
 * The option names of `T`, as a list for `expectOptions`.
 *
 * @example
 * ```ts
 * const REDIS_OPTIONS = optionNames<RedisBackendOptions>({ client: true, lockTimeoutMs: true, ... });
 * ```
 */
export function optionNames<T>(names: OptionNames<T>): readonly string[] {
  return Object.freeze(Object.keys(names));
}

/**
 * Throws `InvalidArgumentError` unless `options` is a plain object whose
 * every own key is one of `known`: a misspelt option (`timeout` for
 * `timeoutMs`) would otherwise be ignored, and its default used without a
 * word. Symbol keys, non-enumerable keys and an own `__proto__` key are
 * refused too. The message names the closest known option and lists them.
 * Called where options are given (a middleware made, a class constructed),
 * never per request.
 *
 * @param owner - what takes the options, as the message names it: `globalLock()`, `new KeyedMutex()`.
 * @example
 * ```ts
 * expectOptions(options, GLOBAL_LOCK_OPTIONS, 'globalLock()');
 * // InvalidArgumentError: Unknown option `timeout` of globalLock(): did you mean `timeoutMs`? Known options: ...
 * ```
 */
export function expectOptions<T>(
  options: T,
  known: readonly string[],
  owner: string,
): asserts options is T & Record<string, unknown> {
  expectPlainObject('options', options);
  for (const key of Reflect.ownKeys(options)) {
    if (typeof key === 'string' && known.includes(key)) continue;
    throw new InvalidArgumentError(unknownOptionMessage(key, known, owner));
  }
}

function unknownOptionMessage(key: string | symbol, known: readonly string[], owner: string): string {
  const listed = `Known options: ${known.join(', ')}.`;
  if (typeof key === 'symbol') {
    return `Unknown option \`${String(key)}\` of ${owner}: options are named by strings, so it would be ignored. ${listed}`;
  }
  if (key === '__proto__') {
    return (
      `Unknown option \`__proto__\` of ${owner}: an own \`__proto__\` key (from JSON.parse or a computed key) ` +
      `sets no option. ${listed}`
    );
  }
  const meant = closestName(key, known);
  return meant === undefined
    ? `Unknown option \`${key}\` of ${owner}. ${listed}`
    : `Unknown option \`${key}\` of ${owner}: did you mean \`${meant}\`? ${listed}`;
}
