/**
 * A value as error messages show it: the value in backticks, cut at 40
 * characters, and its type, as in "got `-1` (string)". The library has its
 * own; the probe keeps this copy rather than reach into the library's
 * internals, which are no part of its public API.
 *
 * @example
 * ```ts
 * describeValue('0x10'); // '`0x10` (string)'
 * ```
 */
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
