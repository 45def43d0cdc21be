import { ReadonlyAttributeError, ScopeMissingError, UnknownAttributeError } from './errors.js';
import { callOutsideScope } from './outside.js';
import { noticeReadOutsideScope, type OutsideRequestWatch } from './outside-request.js';
import { register, type ScopedDefinition, storage } from './scope.js';
import { type AttributesClass, type ClassShape, type Instance, inspectClass } from './shape.js';
import { createTrackedFactory } from './tracking.js';
import { checkTravel, type TravelDeclaration } from './travel.js';
import { expectPlainObject } from './validate.js';

export type { Instance } from './shape.js';

/** Everything the wrapper and the controls share about one `defineCurrent` call. */
export interface Definition extends ScopedDefinition {
  readonly shape: ClassShape;
  readonly beforeReset: Array<() => void>;
  readonly afterReset: Array<() => void>;
  /** Attribute names: accessors, then fields. */
  readonly attributeKeys: readonly string[];
  /** The frozen defaults that reads see outside a scope. */
  readonly detached: Instance;
  /** The input each setter of a scope instance last received, in the order of those assignments (see `tracking.ts`). */
  inputsOf(instance: object): Array<readonly [string, unknown]>;
  /** Which attributes travel to other services and how, and which are hidden (`options.travel`, `options.hidden`). */
  readonly declaration: TravelDeclaration;
  /** Called by `restore` for each attribute of a payload that the class does not declare. */
  readonly onUnknownAttribute: (attribute: string) => void;
  /** The instance to read `member` from: the scope's, or outside a scope the frozen defaults (or a throw, when strict). */
  instanceToRead(member: string): Instance;
  /** The scope's instance to write `member` to; throws outside a scope. */
  instanceToWrite(member: string, action?: 'write' | 'call'): Instance;
  /** Calls method `key` on the scope's instance, or outside a scope on a throwaway copy of the defaults. */
  callMethod(key: string, args: unknown[]): unknown;
  /** Whether `key` can be assigned: an attribute, or a setter without a getter. */
  isAssignable(key: string): boolean;
  /** Throws unless every key of `values` can be assigned. */
  checkAssignable(values: unknown, parameter: string): asserts values is Instance;
  /** Assigns `values` through the class's setters, in assignment order. */
  assign(instance: Instance, values: Instance): void;
}

/** Inspects `Class`, registers it with the scope machinery and returns its definition. */
export function createDefinition(
  Class: AttributesClass,
  settings: {
    strict: boolean;
    name: string;
    onUnknownAttribute: (key: string) => void;
    warnOutsideScope: boolean;
    travel?: unknown;
    hidden?: unknown;
  },
  reserved: readonly string[],
): Definition {
  const { strict, name, onUnknownAttribute } = settings;
  const shape = inspectClass(Class, name, reserved);
  const declaration = checkTravel(shape, settings.travel, settings.hidden);
  // Strict reads throw instead; a silenced definition is never watched.
  const watch: OutsideRequestWatch = { definition: shape.name, warned: strict || !settings.warnOutsideScope };
  const detached = freezeFreshDefaults(shape.probe, shape.defaults);
  const attributeKeys = [...shape.accessors, ...shape.fields];
  const assignable = new Set([...attributeKeys, ...shape.setters]);
  // Accessors first, so an explicit field value wins over a setter's side effect.
  const assignmentOrder = [...shape.accessors, ...shape.setters, ...shape.fields];
  const construct = () => new Class();
  const { create, inputsOf } = createTrackedFactory(Class, shape);

  return register((id) => {
    const definition: Definition = {
      id,
      shape,
      beforeReset: [],
      afterReset: [],
      attributeKeys,
      detached,
      declaration,
      onUnknownAttribute,
      create,
      inputsOf,
      instanceToRead(member) {
        const scope = storage.getStore();
        if (scope !== undefined) return scope.instanceFor(definition) as Instance;
        if (strict) throw new ScopeMissingError(shape.name, member, 'read');
        noticeReadOutsideScope(watch, member);
        return detached;
      },
      instanceToWrite(member, action = 'write') {
        const scope = storage.getStore();
        if (scope === undefined) throw new ScopeMissingError(shape.name, member, action);
        return scope.instanceFor(definition) as Instance;
      },
      callMethod(key, args) {
        const scope = storage.getStore();
        if (scope === undefined) {
          if (strict) throw new ScopeMissingError(shape.name, key, 'read');
          noticeReadOutsideScope(watch, `${key}()`);
          return callOutsideScope(shape, construct, detached, key, args);
        }
        const instance = scope.instanceFor(definition) as Instance;
        return (instance[key] as (...args: unknown[]) => unknown).apply(instance, args);
      },
      isAssignable: (key) => assignable.has(key),
      checkAssignable(values, parameter) {
        expectPlainObject(parameter, values);
        const keys = Object.keys(values);
        // Keys that Object.keys skips would be silently ignored; look for them only in what it cannot see.
        const [symbol] = Object.getOwnPropertySymbols(values);
        if (symbol !== undefined) throw new UnknownAttributeError(shape.name, String(symbol), attributeKeys);
        const names = Object.getOwnPropertyNames(values);
        if (names.length !== keys.length) {
          const hidden = names.find((key) => !keys.includes(key)) as string;
          throw new UnknownAttributeError(shape.name, hidden, attributeKeys, 'not enumerable');
        }
        for (const key of keys) {
          if (assignable.has(key)) continue;
          const kind = describeMember(shape, key, reserved);
          if (kind === undefined) throw new UnknownAttributeError(shape.name, key, attributeKeys);
          throw new ReadonlyAttributeError(shape.name, key, kind);
        }
      },
      assign(instance, values) {
        for (const key of assignmentOrder) {
          if (Object.hasOwn(values, key)) instance[key] = values[key];
        }
      },
    };
    return definition;
  });
}

/** Says what kind of member `key` is when it exists but cannot be assigned. */
export function describeMember(shape: ClassShape, key: string, reserved: readonly string[]): string | undefined {
  if (shape.getters.includes(key)) return 'a getter without a setter';
  if (shape.methods.includes(key)) return 'a method';
  if (reserved.includes(key)) return 'a control of Current';
  return undefined;
}

/**
 * Freezes the instance that reads see outside any scope, and each of its
 * default values that the constructor builds afresh (those that differ
 * between two constructions), so `Current.tags.push(x)` outside a scope throws
 * instead of silently sharing `x` with every later out-of-scope read. Values
 * the constructor takes from elsewhere (a shared logger) are not ours to
 * freeze.
 */
function freezeFreshDefaults(first: object, second: object): Instance {
  const instance = second as Instance;
  for (const key of Object.keys(instance)) {
    const value = instance[key];
    if (value !== null && typeof value === 'object' && value !== (first as Instance)[key]) Object.freeze(value);
  }
  return Object.freeze(instance);
}
