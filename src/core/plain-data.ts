/**
 * Prototypes whose instances `structuredClone` copies faithfully. Any other
 * object is an instance of some class: the clone would keep its own fields
 * but drop its prototype (methods, getters) and its private fields, silently
 * turning it into a different value (a class with only private state clones
 * to `{}`). Nothing in Node or a well-kept library reports that, so the check
 * is written here.
 */
const CLONED_FAITHFULLY = new Set<unknown>([
  Object.prototype,
  null,
  Array.prototype,
  Date.prototype,
  RegExp.prototype,
  Map.prototype,
  Set.prototype,
  ArrayBuffer.prototype,
  Boolean.prototype,
  Number.prototype,
  String.prototype,
  BigInt.prototype,
  Error.prototype,
  EvalError.prototype,
  RangeError.prototype,
  ReferenceError.prototype,
  SyntaxError.prototype,
  TypeError.prototype,
  URIError.prototype,
]);

/**
 * Describes the first part of `value` that a structured clone would change
 * (an instance of a class, a symbol-keyed property), with its path from
 * `path`, or returns `undefined` when the clone is faithful. Functions and
 * other values `structuredClone` refuses are left to it: it names them.
 */
export function findUnfaithfulClone(value: unknown, path: string, seen = new Set<object>()): string | undefined {
  if (value === null || typeof value !== 'object' || seen.has(value) || ArrayBuffer.isView(value)) return undefined;
  seen.add(value);
  const prototype = Object.getPrototypeOf(value);
  if (!CLONED_FAITHFULLY.has(prototype)) {
    const className = (prototype as { constructor?: { name?: string } }).constructor?.name || 'an anonymous class';
    return `${path} is an instance of ${className}, which a structured clone turns into a plain object without its methods or private fields`;
  }
  if (value instanceof Map) {
    for (const [key, entry] of value) {
      const found = findUnfaithfulClone(key, `${path} key`, seen) ?? findUnfaithfulClone(entry, `${path}.get(…)`, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value instanceof Set) {
    for (const entry of value) {
      const found = findUnfaithfulClone(entry, `${path} entry`, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (Object.getOwnPropertySymbols(value).length > 0) {
    return `${path} has a symbol-keyed property, which a structured clone drops`;
  }
  const isArray = Array.isArray(value);
  for (const [key, entry] of Object.entries(value)) {
    const found = findUnfaithfulClone(entry, isArray ? `${path}[${key}]` : `${path}.${key}`, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}
