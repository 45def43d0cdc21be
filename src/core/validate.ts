import { InvalidArgumentError } from './errors.js';

/** Renders a value for an error message: its short form and its type. */
export function describeValue(value: unknown): string {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  let shown: string;
  try {
    shown = typeof value === 'function' ? value.name || 'anonymous function' : String(value);
  } catch {
    shown = Object.prototype.toString.call(value);
  }
  if (shown.length > 40) shown = `${shown.slice(0, 37)}...`;
  return `\`${shown}\` (${type})`;
}

/** Throws `InvalidArgumentError` unless `value` is a function. */
export function expectFunction(name: string, value: unknown): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') {
    throw new InvalidArgumentError(`Expected \`${name}\` to be a function, got ${describeValue(value)}.`);
  }
}

/** Whether `value` is a plain object: an object literal, parsed JSON, or one made by `Object.create(null)`. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  const prototype = value !== null && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  return prototype === Object.prototype || prototype === null;
}

/** Throws `InvalidArgumentError` unless `value` is a plain object. */
export function expectPlainObject<T>(name: string, value: T): asserts value is T & Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be a plain object, got ${describeValue(value)}.`);
  }
}
