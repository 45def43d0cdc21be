import { InvalidDefinitionError, RestrictedAttributeError } from './errors.js';
import { describeValue } from './validate.js';

/** A class whose instances hold the attributes of one `Current` definition. */
export type AttributesClass<T extends object = object> = new () => T;

/** What `defineCurrent` learns about a class by constructing it once. */
export interface ClassShape {
  readonly name: string;
  /** Own fields of an instance, in declaration order: plain attributes. */
  readonly fields: readonly string[];
  /** Accessors with both a getter and a setter: attributes with custom logic. */
  readonly accessors: readonly string[];
  /** Getters without a setter: readable, never assignable. */
  readonly getters: readonly string[];
  /** Setters without a getter: assignable, read as `undefined` like any JS setter. */
  readonly setters: readonly string[];
  /** Methods of the class and its ancestors. */
  readonly methods: readonly string[];
  /** The instance built to find the fields: the defaults, as seen outside a scope. */
  readonly probe: object;
}

/**
 * Inspects `Class` (named `label` in messages) and rejects what cannot work: a non-class, a constructor
 * that needs arguments or throws, and member names reserved for controls.
 */
export function inspectClass(Class: unknown, label: string, reserved: readonly string[]): ClassShape {
  if (typeof Class !== 'function' || typeof Class.prototype !== 'object' || Class.prototype === null) {
    throw new InvalidDefinitionError(
      `Expected a class with no constructor arguments, got ${describeValue(Class)}. ` +
        'Declare the attributes as fields: `class Attributes { user?: User; locale = "en"; }`, ' +
        'then call defineCurrent(Attributes).',
    );
  }
  const name = label || 'Current';
  let probe: object;
  try {
    probe = new (Class as AttributesClass)();
  } catch (cause) {
    throw new InvalidDefinitionError(
      `Constructing ${name} with no arguments failed: ${String(cause)}. ` +
        'defineCurrent builds one instance per scope with `new Class()`, ' +
        'so the constructor must take no arguments and must not throw.',
      { cause },
    );
  }

  const fields = Object.keys(probe);
  const seen = new Set(fields);
  const accessors: string[] = [];
  const getters: string[] = [];
  const setters: string[] = [];
  const methods: string[] = [];
  // Walk up to (not into) Object.prototype; a subclass's member shadows its parent's.
  for (let prototype = Class.prototype; prototype !== null && prototype !== Object.prototype; ) {
    for (const key of Object.getOwnPropertyNames(prototype)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
      if (descriptor?.get && descriptor.set) accessors.push(key);
      else if (descriptor?.get) getters.push(key);
      else if (descriptor?.set) setters.push(key);
      else if (typeof descriptor?.value === 'function') methods.push(key);
    }
    prototype = Object.getPrototypeOf(prototype);
  }

  const restricted = [...seen].filter((key) => reserved.includes(key));
  if (restricted.length > 0) throw new RestrictedAttributeError(name, restricted, reserved);
  return { name, fields, accessors, getters, setters, methods, probe };
}
