import type { Definition, Instance } from './definition.js';
import { InvalidPayloadError, UnserializableAttributeError } from './errors.js';
import { findUnfaithfulClone } from './plain-data.js';
import type { SerializedAttributes } from './types.js';
import { describeValue, isRevokedProxy } from './validate.js';

/** The `format` of every payload, so `restore` can tell ours from any other object. */
const FORMAT = 'current-attributes';
/** The payload layout this release writes; it reads this one and every earlier one. */
const VERSION = 1;

/**
 * What was assigned to `instance`, as Rails keeps it: the inputs its setters
 * received, in the order they were last assigned (an accessor appears once
 * assigned), then the fields that `keepField` keeps. Getters are never read:
 * they may decorate, and a value a setter derives is derived again from the
 * same input when the entries are assigned in order.
 */
export function assignedEntries(
  definition: Definition,
  instance: Instance,
  keepField: (key: string, value: unknown) => boolean,
): Array<readonly [string, unknown]> {
  const entries = definition.inputsOf(instance);
  for (const key of definition.shape.fields) {
    if (keepField(key, instance[key])) entries.push([key, instance[key]]);
  }
  return entries;
}

/**
 * What rebuilds `instance` in another scope or process: its assigned
 * entries, with the fields that differ from their defaults, each cloned.
 *
 * @throws {UnserializableAttributeError} naming the first attribute a structured clone would refuse or change.
 */
export function serializeInstance(definition: Definition, instance: Instance): SerializedAttributes<Instance> {
  const entries = assignedEntries(definition, instance, (key, value) => !Object.is(value, definition.detached[key]));
  return {
    format: FORMAT,
    version: VERSION,
    // `[name]` stands for undefined, which JSON would turn into null inside `[name, value]`.
    entries: entries.map(([key, value]) =>
      value === undefined ? ([key] as const) : ([key, cloneFaithfully(definition.shape.name, key, value)] as const),
    ),
  };
}

/**
 * Assigns the entries of `payload` to `instance` in order, through the
 * setters. Attributes the class does not declare (the payload came from an
 * older or newer version of it) are dropped and reported to the definition's
 * `onUnknownAttribute`, so a queued job still runs after a deploy.
 *
 * @throws {InvalidPayloadError} when `payload` is not what `serialize` returns.
 */
export function restoreInstance(definition: Definition, instance: Instance, payload: unknown): void {
  for (const [key, value] of readEntries(payload)) {
    if (definition.isAssignable(key)) instance[key] = value;
    else definition.onUnknownAttribute(key);
  }
}

function readEntries(payload: unknown): ReadonlyArray<readonly [string, unknown?]> {
  const { format, version, entries } = (
    payload === null || typeof payload !== 'object' || isRevokedProxy(payload) ? {} : payload
  ) as Partial<SerializedAttributes<Instance>>;
  if (format !== FORMAT) {
    throw new InvalidPayloadError(
      `Expected \`payload\` to be what Current.serialize() returned ({ format: '${FORMAT}', version, entries }), ` +
        `got ${describeValue(payload)}. To run code with attributes you have at hand, use Current.run(fn) and assign them.`,
    );
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > VERSION) {
    throw new InvalidPayloadError(
      `Expected \`payload.version\` to be an integer from 1 to ${VERSION}, got ${describeValue(version)}. ` +
        'A higher version comes from a newer release of current-attributes: upgrade it where the payload is restored.',
    );
  }
  if (!Array.isArray(entries)) {
    throw new InvalidPayloadError(
      `Expected \`payload.entries\` to be an array of [attribute name, value] or [attribute name] entries, ` +
        `got ${describeValue(entries)}.`,
    );
  }
  // Indexed, not `every`: `every` skips the holes of a sparse array, which `for...of` then yields as undefined.
  for (let index = 0; index < entries.length; index += 1) {
    const entry: unknown = entries[index];
    if (isEntry(entry)) continue;
    throw new InvalidPayloadError(
      `Expected \`payload.entries[${index}]\` to be an [attribute name, value] or [attribute name] entry, got ` +
        `${index in entries ? describeValue(entry) : 'a hole (the array is sparse)'}. ` +
        'Pass the payload as serialize() returned it, or as JSON.parse() read it back.',
    );
  }
  return entries;
}

function isEntry(entry: unknown): entry is readonly [string, unknown?] {
  return Array.isArray(entry) && (entry.length === 1 || entry.length === 2) && typeof entry[0] === 'string';
}

function cloneFaithfully(definition: string, key: string, value: unknown): unknown {
  const problem = findUnfaithfulClone(value, key);
  if (problem !== undefined) throw new UnserializableAttributeError(definition, key, problem);
  try {
    return structuredClone(value);
  } catch (cause) {
    throw new UnserializableAttributeError(definition, key, cause);
  }
}
