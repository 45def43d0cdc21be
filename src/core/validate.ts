import { types } from 'node:util';
import { InvalidArgumentError } from './errors.js';

/**
 * Whether `value` is a Proxy that can no longer be used: revoked, so every
 * operation on it (even `Array.isArray` and `Object.prototype.toString`)
 * throws a `TypeError` that names nothing of ours.
 */
export function isRevokedProxy(value: unknown): boolean {
  if (!types.isProxy(value)) return false;
  try {
    Reflect.getPrototypeOf(value as object);
    return false;
  } catch {
    return true;
  }
}

/** Renders a value for an error message: its short form and its type. */
export function describeValue(value: unknown): string {
  if (isRevokedProxy(value)) return `\`a revoked Proxy\` (${typeof value})`;
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  let shown: string;
  try {
    shown = typeof value === 'function' ? value.name || 'anonymous function' : String(value);
  } catch {
    try {
      shown = Object.prototype.toString.call(value);
    } catch {
      shown = 'an unreadable value';
    }
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
  if (value === null || typeof value !== 'object' || isRevokedProxy(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Throws `InvalidArgumentError` unless `value` is a plain object. */
export function expectPlainObject<T>(name: string, value: T): asserts value is T & Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be a plain object, got ${describeValue(value)}.`);
  }
}
