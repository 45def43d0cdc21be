import { InvalidArgumentError } from '../core/errors.js';
import { type AnyCurrent, registeredAs } from '../core/registry.js';
import { storage } from '../core/scope.js';
import { describeValue } from '../core/validate.js';
import type { LogFieldKey } from '../logs/fields.js';

/** An OpenTelemetry attribute value: a string, number, boolean or an array of one of them. */
export type OtelValue = string | number | boolean | string[] | number[] | boolean[];

/**
 * Makes a function that reads the named members of `current` in the active
 * scope as OpenTelemetry attributes, named `prefix + key`. Hidden attributes
 * are refused; values that are not attribute values (objects, undefined) are
 * left out. Outside any scope it reads nothing.
 *
 * @throws {InvalidArgumentError} when `current` is not a `Current`, or a key is not a visible attribute or getter.
 */
export function attributeReader<C extends AnyCurrent>(
  current: C,
  keys: readonly LogFieldKey<C>[],
  prefix: string,
): () => Record<string, OtelValue> {
  const { shape, declaration } = registeredAs('current', current).definition;
  if (!Array.isArray(keys as unknown)) {
    throw new InvalidArgumentError(`Expected \`keys\` to be an array of member names, got ${describeValue(keys)}.`);
  }
  const readable = [...shape.fields, ...shape.accessors, ...shape.getters];
  keys.forEach((key: unknown, index) => {
    if (typeof key === 'string' && declaration.hidden.has(key)) {
      throw new InvalidArgumentError(
        `Expected \`keys[${index}]\` to name a member of ${shape.name} that may be recorded, got \`${key}\`, ` +
          'which the definition declares hidden: hidden values never reach a span or a log record.',
      );
    }
    if (typeof key !== 'string' || !readable.includes(key)) {
      throw new InvalidArgumentError(
        `Expected \`keys[${index}]\` to name an attribute or getter of ${shape.name}, got ${describeValue(key)}. ` +
          `It has: ${readable.join(', ')}.`,
      );
    }
  });
  if (typeof prefix !== 'string') {
    throw new InvalidArgumentError(`Expected \`options.prefix\` to be a string, got ${describeValue(prefix)}.`);
  }
  const members = current as unknown as Record<string, unknown>;
  const names = keys.map((key) => `${prefix}${key}`);
  return () => {
    const attributes: Record<string, OtelValue> = {};
    if (storage.getStore() === undefined) return attributes;
    for (let index = 0; index < keys.length; index += 1) {
      const value = members[keys[index] as string];
      if (isOtelValue(value)) attributes[names[index] as string] = value;
    }
    return attributes;
  };
}

function isOtelValue(value: unknown): value is OtelValue {
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return true;
  if (!Array.isArray(value) || value.length === 0) return false;
  const first = typeof value[0];
  return (
    (first === 'string' || first === 'number' || first === 'boolean') && value.every((item) => typeof item === first)
  );
}
