import type { Definition } from './definition.js';
import { InvalidArgumentError, InvalidDefinitionError } from './errors.js';
import type { CurrentControls } from './types.js';
import { describeValue } from './validate.js';

/**
 * Any `Current`, whatever its class: what the helpers that work over several
 * definitions (`serializeContext`, `restoreContext`) accept.
 *
 * @example
 * ```ts
 * const carried: AnyCurrent[] = [Current, Session];
 * ```
 */
export type AnyCurrent = { readonly [K in keyof CurrentControls<object>]: unknown };

/** The controls the context helpers call on any `Current`, whatever its class. */
interface CarriedControls {
  serialize(): unknown;
  restore<R>(payload: never, fn: () => R): R;
}

/** A `Current` with the definition behind it and the name that identifies its payload. */
export interface RegisteredCurrent {
  readonly current: CarriedControls;
  readonly definition: Definition;
  readonly name: string;
}

const registered: RegisteredCurrent[] = [];
const byCurrent = new WeakMap<object, RegisteredCurrent>();

/** Records `current` (called once by `defineCurrent`), so the context helpers can find every definition. */
export function registerCurrent<C extends object>(current: C, definition: Definition): C {
  const entry = { current: current as unknown as CarriedControls, definition, name: definition.shape.name };
  registered.push(entry);
  byCurrent.set(current, entry);
  return current;
}

/** Every `Current` defined in this process, in definition order. */
export function allCurrents(): readonly RegisteredCurrent[] {
  return registered;
}

/**
 * The registered entries of `currents` (default: every definition), checked
 * to be `Current`s with distinct names.
 *
 * @throws {InvalidArgumentError} when an element is not a `Current`.
 * @throws {InvalidDefinitionError} when two of them share a name.
 */
export function resolveCurrents(currents: unknown): readonly RegisteredCurrent[] {
  if (currents === undefined) return checkDistinctNames(registered);
  if (!Array.isArray(currents)) {
    throw new InvalidArgumentError(
      `Expected \`currents\` to be an array of Currents made by defineCurrent(), got ${describeValue(currents)}.`,
    );
  }
  return checkDistinctNames(currents.map((current: unknown, index) => registeredAs(`currents[${index}]`, current)));
}

/**
 * The registered entry of `current`.
 *
 * @throws {InvalidArgumentError} naming `parameter` when `current` is not a `Current`.
 */
export function registeredAs(parameter: string, current: unknown): RegisteredCurrent {
  const entry = typeof current === 'object' && current !== null ? byCurrent.get(current) : undefined;
  if (entry === undefined) {
    throw new InvalidArgumentError(
      `Expected \`${parameter}\` to be a Current made by defineCurrent(), got ${describeValue(current)}.`,
    );
  }
  return entry;
}

function checkDistinctNames(entries: readonly RegisteredCurrent[]): readonly RegisteredCurrent[] {
  const seen = new Set<string>();
  for (const { name } of entries) {
    if (seen.has(name)) throw new SharedNameError(name);
    seen.add(name);
  }
  return entries;
}

/**
 * The entry named `name` among `entries`, or `undefined` when none is.
 *
 * @throws {InvalidDefinitionError} when several are.
 */
export function findByName(entries: readonly RegisteredCurrent[], name: string): RegisteredCurrent | undefined {
  const matches = entries.filter((entry) => entry.name === name);
  if (matches.length > 1) throw new SharedNameError(name);
  return matches[0];
}

class SharedNameError extends InvalidDefinitionError {
  constructor(name: string) {
    super(
      `Two Current definitions are named \`${name}\`, so their serialized values could not be told apart. ` +
        "Give each a name of its own, for example defineCurrent(Class, { name: 'Billing' }), " +
        'or pass `currents` to say which one to carry.',
    );
  }
}
