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
 * The deepest nesting `serialize` accepts. `structuredClone` overflows the
 * stack a little below 2,000 levels on Node 20 (and `JSON.stringify`, which
 * queues use, near 4,000), with a bare `RangeError` that names nothing;
 * refusing well before either keeps the failure typed and names the path.
 */
export const MAX_DEPTH = 1000;

/** Where a value sits inside an attribute, built into a string only for a message. */
interface Path {
  readonly parent: Path | undefined;
  readonly segment: string;
}

/**
 * Describes the first part of `value` that a structured clone would change
 * (an instance of a class, a symbol-keyed property) or could not copy
 * (nesting deeper than `MAX_DEPTH`), with its path from `root`, or returns
 * `undefined` when the clone is faithful. Functions and other values
 * `structuredClone` refuses are left to it: it names them.
 */
export function findUnfaithfulClone(value: unknown, root: string): string | undefined {
  return check(value, { parent: undefined, segment: root }, 0, new Set<object>());
}

function check(value: unknown, path: Path, depth: number, seen: Set<object>): string | undefined {
  if (value === null || typeof value !== 'object' || seen.has(value) || ArrayBuffer.isView(value)) return undefined;
  if (depth >= MAX_DEPTH) {
    return (
      `${render(path, 6)} is nested more than ${MAX_DEPTH} levels deep, deeper than a structured clone ` +
      '(or JSON, for a queue) can copy without overflowing the stack'
    );
  }
  seen.add(value);
  const prototype = Object.getPrototypeOf(value);
  if (!CLONED_FAITHFULLY.has(prototype)) {
    const className = (prototype as { constructor?: { name?: string } }).constructor?.name || 'an anonymous class';
    return `${render(path)} is an instance of ${className}, which a structured clone turns into a plain object without its methods or private fields`;
  }
  const inner = (entry: unknown, segment: string) => check(entry, { parent: path, segment }, depth + 1, seen);
  if (value instanceof Map) {
    for (const [key, entry] of value) {
      const found = inner(key, ' key') ?? inner(entry, '.get(…)');
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value instanceof Set) {
    for (const entry of value) {
      const found = inner(entry, ' entry');
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (Object.getOwnPropertySymbols(value).length > 0) {
    return `${render(path)} has a symbol-keyed property, which a structured clone drops`;
  }
  const isArray = Array.isArray(value);
  for (const [key, entry] of Object.entries(value)) {
    const found = inner(entry, isArray ? `[${key}]` : `.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The path as code would write it; past `keep` segments, the middle is elided so a deep path stays readable. */
function render(path: Path, keep = Number.POSITIVE_INFINITY): string {
  const segments: string[] = [];
  for (let at: Path | undefined = path; at !== undefined; at = at.parent) segments.push(at.segment);
  segments.reverse();
  if (segments.length <= keep * 2) return segments.join('');
  return `${segments.slice(0, keep).join('')}…${segments.slice(-keep).join('')}`;
}
