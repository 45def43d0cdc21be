import type { Definition, Instance } from '../core/definition.js';
import { InvalidDefinitionError } from '../core/errors.js';
import { type AnyCurrent, allCurrents, resolveCurrents } from '../core/registry.js';
import { storage } from '../core/scope.js';
import type { TravelEntry } from '../core/travel.js';
import { InvalidTravelValueError } from './errors.js';

/** One traveling attribute with its definition. */
export interface WireEntry extends TravelEntry {
  readonly definition: Definition;
}

/**
 * The traveling attributes of the propagator's definitions, by wire name.
 * Without a list of definitions it is every definition that declares some,
 * so one defined after the propagator is carried too; built again only when
 * the number of definitions changed.
 */
export class WireMap {
  #built = -1;
  #entries = new Map<string, WireEntry>();

  constructor(readonly currents: readonly AnyCurrent[] | undefined) {
    if (currents !== undefined) this.#build();
  }

  get entries(): ReadonlyMap<string, WireEntry> {
    if (this.currents === undefined && this.#built !== allCurrents().length) this.#build();
    return this.#entries;
  }

  #build(): void {
    const registered = this.currents === undefined ? allCurrents() : resolveCurrents(this.currents);
    const entries = new Map<string, WireEntry>();
    for (const { definition } of registered) {
      for (const entry of definition.declaration.travel) {
        const clash = entries.get(entry.wire);
        if (clash !== undefined) {
          throw new InvalidDefinitionError(
            `${clash.definition.shape.name}.${clash.attribute} and ${definition.shape.name}.${entry.attribute} both travel ` +
              `as \`${entry.wire}\`: give one of them its own \`as\` in \`options.travel\`.`,
          );
        }
        entries.set(entry.wire, { ...entry, definition });
      }
    }
    this.#entries = entries;
    this.#built = allCurrents().length;
  }

  /**
   * The active scope's traveling values as `[wire name, text]`, leaving out
   * those that are undefined; none outside a scope.
   *
   * @throws {InvalidTravelValueError} when a value cannot be written as text by its rule.
   */
  read(): Array<readonly [string, string]> {
    const scope = storage.getStore();
    if (scope === undefined) return [];
    const values: Array<readonly [string, string]> = [];
    for (const entry of this.entries.values()) {
      const value = (scope.instanceFor(entry.definition) as Instance)[entry.attribute];
      if (value === undefined) continue;
      values.push([entry.wire, toText(entry, value)]);
    }
    return values;
  }
}

function toText(entry: WireEntry, value: unknown): string {
  const where = `${entry.definition.shape.name}.${entry.attribute}`;
  if (entry.serialize === undefined) {
    if (typeof value === 'string') return value;
    throw new InvalidTravelValueError(
      `Cannot send ${where}: it holds a ${typeof value}, and only strings travel without a rule. ` +
        `Give it one: travel: { ${entry.attribute}: { serialize: String, parse: Number } }.`,
    );
  }
  const text = entry.serialize(value);
  if (typeof text !== 'string') {
    throw new InvalidTravelValueError(
      `Cannot send ${where}: its \`serialize\` returned a ${typeof text}, not a string. Return text from it.`,
    );
  }
  return text;
}
