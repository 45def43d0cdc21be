import { InvalidDefinitionError, RestrictedAttributeError } from './errors.js';
import { describeValue, isRevokedProxy } from './validate.js';

/** An instance of an attributes class, seen as a bag of named values. */
export type Instance = Record<string, unknown>;

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
  /** The prototype descriptors of `accessors` and `setters`, by name. */
  readonly setterDescriptors: ReadonlyMap<string, PropertyDescriptor & { set(value: unknown): void }>;
  /** The instance built to find the fields. */
  readonly probe: object;
  /** A second instance, distinct from `probe`: the defaults as seen outside a scope. */
  readonly defaults: object;
}

/**
 * Inspects `Class` (named `label` in messages) and rejects what cannot work: a non-class, a constructor
 * that needs arguments or throws, and member names reserved for controls.
 */
export function inspectClass(Class: unknown, label: string, reserved: readonly string[]): ClassShape {
  expectClass(Class);
  const name = label || 'Current';
  const probe = construct(Class, name);
  const defaults = construct(Class, name);
  if (defaults === probe) {
    throw new InvalidDefinitionError(
      `Constructing ${name} returned the same object twice. ${ONE_INSTANCE_PER_SCOPE} ` +
        'Drop the cache from the constructor; share a value by giving a field a default that refers to it.',
    );
  }

  const fields = Object.keys(probe);
  const seen = new Set(fields);
  const accessors: string[] = [];
  const getters: string[] = [];
  const setters: string[] = [];
  const methods: string[] = [];
  const setterDescriptors = new Map<string, PropertyDescriptor & { set(value: unknown): void }>();
  // Walk up to (not into) Object.prototype; a subclass's member shadows its parent's.
  for (let prototype = Class.prototype; prototype !== null && prototype !== Object.prototype; ) {
    for (const key of Object.getOwnPropertyNames(prototype)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
      if (descriptor?.set) setterDescriptors.set(key, { ...descriptor, set: descriptor.set });
      if (descriptor?.get && descriptor.set) accessors.push(key);
      else if (descriptor?.get) getters.push(key);
      else if (descriptor?.set) setters.push(key);
      else if (typeof descriptor?.value === 'function') methods.push(key);
    }
    prototype = Object.getPrototypeOf(prototype);
  }

  if (seen.has('__proto__')) {
    throw new InvalidDefinitionError(
      `${name} declares a member named \`__proto__\`, which JavaScript takes for the prototype of a plain object ` +
        '(such as `attributes`, or a payload parsed from JSON). Rename it.',
    );
  }
  const restricted = [...seen].filter((key) => reserved.includes(key));
  if (restricted.length > 0) throw new RestrictedAttributeError(name, restricted, reserved);
  return { name, fields, accessors, getters, setters, methods, setterDescriptors, probe, defaults };
}

/**
 * Throws `InvalidDefinitionError` unless `Class` is a function whose members
 * can be read: a revoked Proxy is a function to `typeof`, but reading its
 * name or prototype throws a bare `TypeError`.
 */
export function expectClass(Class: unknown): asserts Class is AttributesClass {
  if (isRevokedProxy(Class)) {
    throw new InvalidDefinitionError(
      'Expected a class with no constructor arguments, got a revoked Proxy, whose name, prototype and ' +
        'constructor can no longer be read. Pass the class itself: defineCurrent(Attributes).',
    );
  }
  if (typeof Class !== 'function' || typeof Class.prototype !== 'object' || Class.prototype === null) {
    throw new InvalidDefinitionError(
      `Expected a class with no constructor arguments, got ${describeValue(Class)}. ` +
        'Declare the attributes as fields: `class Attributes { user?: User; locale = "en"; }`, ' +
        'then call defineCurrent(Attributes).',
    );
  }
}

const ONE_INSTANCE_PER_SCOPE =
  'defineCurrent builds a new instance per scope with `new Class()`, so the constructor must take no ' +
  'arguments, must not throw, and must not return an object of its own.';

/**
 * Constructs `Class` and checks that the result is the instance the
 * constructor created: a constructor that returns another object (a
 * singleton, `Object.prototype`) would have that object shared by every
 * scope, and frozen as the out-of-scope defaults.
 */
function construct(Class: AttributesClass, name: string): object {
  let instance: object;
  try {
    instance = new Class();
  } catch (cause) {
    throw new InvalidDefinitionError(
      `Constructing ${name} with no arguments failed: ${String(cause)}. ${ONE_INSTANCE_PER_SCOPE}`,
      { cause },
    );
  }
  if (Object.getPrototypeOf(instance) !== Class.prototype) {
    throw new InvalidDefinitionError(
      `Constructing ${name} returned an object other than the new instance: ${describeValue(instance)}. ` +
        `${ONE_INSTANCE_PER_SCOPE} Remove the \`return\` from the constructor.`,
    );
  }
  return instance;
}
