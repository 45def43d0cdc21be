import { InvalidArgumentError } from '../core/errors.js';
import { type AnyCurrent, registeredAs } from '../core/registry.js';
import { storage } from '../core/scope.js';
import { describeValue } from '../core/validate.js';

/** The names of `C` that a log line can carry: its members, not the controls every `Current` has. */
export type LogFieldKey<C> = Exclude<Extract<keyof C, string>, keyof AnyCurrent>;

/**
 * Makes a function that returns the named members of `current` in the
 * active scope (the request's request id, user id), for a logger to add to
 * every line: pino's `mixin`, winston's `format`. Members that are
 * `undefined` are left out. Outside any scope it returns no fields: never
 * the defaults reads see there (a default request id would be one made up
 * at startup, the same on every line), and never a throw from a `strict`
 * definition.
 *
 * @param keys - attributes and getters of the class: a getter (`get userId() { return this.user?.id; }`) shapes a field.
 * @throws {InvalidArgumentError} when `current` is not a `Current`, or a key is not one of its attributes or getters, or is hidden (`defineCurrent`'s `hidden`).
 * @example
 * ```ts
 * const logger = pino({ mixin: currentLogFields(Current, ['requestId', 'userId']) });
 * logger.info('charging card'); // {"requestId":"3f2a…","userId":"u1","msg":"charging card",…}
 * ```
 */
export function currentLogFields<C extends AnyCurrent, K extends LogFieldKey<C>>(
  current: C,
  keys: readonly K[],
): () => { [P in K]?: C[P] } {
  const { shape, declaration } = registeredAs('current', current).definition;
  if (!Array.isArray(keys as unknown)) {
    throw new InvalidArgumentError(`Expected \`keys\` to be an array of member names, got ${describeValue(keys)}.`);
  }
  const readable = [...shape.fields, ...shape.accessors, ...shape.getters];
  keys.forEach((key: unknown, index) => {
    if (typeof key === 'string' && declaration.hidden.has(key)) {
      throw new InvalidArgumentError(
        `Expected \`keys[${index}]\` to name a member of ${shape.name} that may be logged, got \`${key}\`, ` +
          'which the definition declares hidden: hidden values never reach a log line. Log an id derived from it instead.',
      );
    }
    if (typeof key === 'string' && readable.includes(key)) return;
    throw new InvalidArgumentError(
      `Expected \`keys[${index}]\` to name an attribute or getter of ${shape.name}, got ${describeValue(key)}. ` +
        `It has: ${readable.join(', ')}.`,
    );
  });
  const members = current as unknown as Record<K, unknown>;
  return () => {
    const fields: { [P in K]?: unknown } = {};
    if (storage.getStore() === undefined) return fields as { [P in K]?: C[P] };
    for (const key of keys) {
      const value = members[key];
      if (value !== undefined) fields[key] = value;
    }
    return fields as { [P in K]?: C[P] };
  };
}
