import { InvalidDefinitionError } from './errors.js';
import type { ClassShape } from './shape.js';
import { describeValue, isPlainObject } from './validate.js';

/**
 * How one attribute travels to another service: its name on the wire, and
 * for a value that is not a string, how to write it and read it back.
 *
 * @example
 * ```ts
 * defineCurrent(Attributes, {
 *   travel: { tenantId: { as: 'tenant', serialize: String, parse: Number } },
 * });
 * ```
 */
export interface TravelRule<V = unknown> {
  /** The member's name on the wire (a W3C baggage key). Default: the attribute's name. */
  readonly as?: string;
  /** Writes the value as text. Default: the value itself, which must then be a string. */
  readonly serialize?: (value: V) => string;
  /** Reads the text back. Default: the text itself. It may throw: the member is then refused and counted. */
  readonly parse?: (text: string) => V;
}

/** One traveling attribute, checked: its attribute, wire name and the two conversions. */
export interface TravelEntry {
  readonly attribute: string;
  readonly wire: string;
  readonly serialize: ((value: unknown) => string) | undefined;
  readonly parse: ((text: string) => unknown) | undefined;
}

/** What a definition declares about leaving the process. */
export interface TravelDeclaration {
  /** The attributes that travel to other services, in declaration order. */
  readonly travel: readonly TravelEntry[];
  /** The attributes that never leave the process but into the application's own jobs. */
  readonly hidden: ReadonlySet<string>;
}

/** A W3C baggage key is an HTTP token; names starting `ca.` are this library's own. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** The prefix of the wire names this library keeps for itself (the signature, the deadline). */
export const RESERVED_WIRE_PREFIX = 'ca.';

/**
 * Checks `travel` and `hidden` against the class: each names an attribute
 * (a field or an accessor), no attribute is both, wire names are tokens and
 * distinct.
 *
 * @throws {InvalidDefinitionError} naming the first mistake and how to fix it.
 */
export function checkTravel(shape: ClassShape, travel: unknown, hidden: unknown): TravelDeclaration {
  const attributes = [...shape.fields, ...shape.accessors];
  const name = shape.name;
  const hiddenSet = new Set<string>();
  if (hidden !== undefined) {
    if (!Array.isArray(hidden)) {
      throw new InvalidDefinitionError(
        `Expected \`options.hidden\` to be an array of attribute names, got ${describeValue(hidden)}.`,
      );
    }
    for (const [index, key] of hidden.entries()) {
      if (typeof key !== 'string' || !attributes.includes(key)) {
        throw new InvalidDefinitionError(
          `Expected \`options.hidden[${index}]\` to name an attribute of ${name}, got ${describeValue(key)}. ` +
            `It has: ${attributes.join(', ') || '(none)'}.`,
        );
      }
      hiddenSet.add(key);
    }
  }
  if (travel === undefined) return { travel: [], hidden: hiddenSet };
  if (!isPlainObject(travel)) {
    throw new InvalidDefinitionError(
      `Expected \`options.travel\` to be a plain object of attribute names to rules, got ${describeValue(travel)}.`,
    );
  }
  const entries: TravelEntry[] = [];
  const wires = new Set<string>();
  for (const [attribute, rule] of Object.entries(travel)) {
    const where = `options.travel.${attribute}`;
    if (!attributes.includes(attribute)) {
      throw new InvalidDefinitionError(
        `Expected \`${where}\` to name an attribute of ${name}, got \`${attribute}\`. It has: ${attributes.join(', ') || '(none)'}.`,
      );
    }
    if (hiddenSet.has(attribute)) {
      throw new InvalidDefinitionError(
        `${name}.${attribute} is declared both hidden and traveling. A hidden value never leaves the process: ` +
          'remove it from one of `options.hidden` and `options.travel`.',
      );
    }
    const entry = checkRule(where, attribute, rule);
    if (wires.has(entry.wire)) {
      throw new InvalidDefinitionError(
        `Two attributes of ${name} travel as \`${entry.wire}\`: give one of them its own \`as\`.`,
      );
    }
    wires.add(entry.wire);
    entries.push(entry);
  }
  return { travel: entries, hidden: hiddenSet };
}

function checkRule(where: string, attribute: string, rule: unknown): TravelEntry {
  if (rule === true) return checkWire(where, { attribute, wire: attribute, serialize: undefined, parse: undefined });
  if (typeof rule === 'string')
    return checkWire(where, { attribute, wire: rule, serialize: undefined, parse: undefined });
  if (!isPlainObject(rule)) {
    throw new InvalidDefinitionError(
      `Expected \`${where}\` to be true, a wire name or { as?, serialize?, parse? }, got ${describeValue(rule)}.`,
    );
  }
  const unknown = Object.keys(rule).find((key) => !['as', 'serialize', 'parse'].includes(key));
  if (unknown !== undefined) {
    throw new InvalidDefinitionError(
      `Expected \`${where}\` to have only the keys as, serialize and parse, got \`${unknown}\`.`,
    );
  }
  const { as = attribute, serialize, parse } = rule as TravelRule;
  for (const [key, value] of [
    ['serialize', serialize],
    ['parse', parse],
  ] as const) {
    if (value !== undefined && typeof value !== 'function') {
      throw new InvalidDefinitionError(`Expected \`${where}.${key}\` to be a function, got ${describeValue(value)}.`);
    }
  }
  return checkWire(`${where}.as`, { attribute, wire: as, serialize, parse } as TravelEntry);
}

function checkWire(where: string, entry: TravelEntry): TravelEntry {
  const { wire } = entry;
  if (typeof wire !== 'string' || !TOKEN.test(wire) || wire.startsWith(RESERVED_WIRE_PREFIX)) {
    throw new InvalidDefinitionError(
      `Expected \`${where}\` to be a wire name made of letters, digits and !#$%&'*+-.^_\`|~ ` +
        `(a W3C baggage key) that does not start with \`${RESERVED_WIRE_PREFIX}\`, got ${describeValue(wire)}.`,
    );
  }
  return entry;
}
