import { bind, bindEmitter, snapshot } from './bind.js';
import type { Definition, Instance } from './definition.js';
import { ResetCallbackError, ScopeMissingError, UnserializableAttributeError } from './errors.js';
import { resetDefinition, runScoped, Scope, storage } from './scope.js';
import type { CurrentControls } from './types.js';
import { expectFunction } from './validate.js';

/** The names reserved for controls; a class may not declare any of them. */
export const RESERVED_NAMES: readonly string[] = [
  'run',
  'set',
  'reset',
  'beforeReset',
  'afterReset',
  'attributes',
  'isActive',
  'bind',
  'snapshot',
  'bindEmitter',
  'serialize',
  'restore',
] satisfies ReadonlyArray<keyof CurrentControls<object>>;

/** Builds the control functions of one definition. `attributes` and `isActive` are getters. */
export function createControls(definition: Definition): CurrentControls<Instance> {
  const { shape } = definition;
  const readAttributes = (): Instance => {
    const instance = definition.instanceToRead('attributes');
    const result: Instance = {};
    for (const key of definition.attributeKeys) {
      const value = instance[key];
      if (value !== undefined) result[key] = value;
    }
    return result;
  };
  const addCallback = (callbacks: Array<() => void>, parameter: string) => (callback: () => void) => {
    expectFunction(parameter, callback);
    callbacks.push(callback);
    return () => {
      const index = callbacks.indexOf(callback);
      if (index !== -1) callbacks.splice(index, 1);
    };
  };

  return {
    run(fn) {
      expectFunction('fn', fn);
      // Fresh values, but the same locks held: a nested run inside a critical section is still inside it.
      return runScoped(new Scope(undefined, -1, storage.getStore()?.held), fn);
    },
    set(values, fn) {
      definition.checkAssignable(values, 'attributes');
      expectFunction('fn', fn);
      const parent = storage.getStore();
      if (parent === undefined) throw new ScopeMissingError(shape.name, 'set()', 'call');
      const source = parent.instanceFor(definition) as Instance;
      const child = new Scope(parent, definition.id);
      return storage.run(child, () => {
        // The copy is installed before it is filled, so a setter that writes
        // Current itself writes to the copy, not to the request's values.
        const copy = definition.create() as Instance;
        child.adopt(definition, copy);
        definition.assign(copy, copyOf(source, definition.attributeKeys));
        definition.assign(copy, values);
        return fn();
      });
    },
    reset() {
      const scope = storage.getStore();
      if (scope === undefined) throw new ScopeMissingError(shape.name, 'reset()', 'call');
      const errors = resetDefinition(scope, definition);
      if (errors.length > 0) throw new ResetCallbackError(errors);
    },
    beforeReset: addCallback(definition.beforeReset, 'callback'),
    afterReset: addCallback(definition.afterReset, 'callback'),
    get attributes() {
      return readAttributes();
    },
    get isActive() {
      return storage.getStore() !== undefined;
    },
    bind,
    snapshot,
    bindEmitter,
    serialize() {
      const attributes = readAttributes();
      for (const [key, value] of Object.entries(attributes)) {
        try {
          attributes[key] = structuredClone(value);
        } catch (cause) {
          throw new UnserializableAttributeError(shape.name, key, cause);
        }
      }
      return attributes;
    },
    restore(payload, fn) {
      definition.checkAssignable(payload, 'payload');
      expectFunction('fn', fn);
      // Like run: fresh values, but the caller's locks are still held here.
      return runScoped(new Scope(undefined, -1, storage.getStore()?.held), () => {
        definition.assign(definition.instanceToWrite('restore()', 'call'), payload);
        return fn();
      });
    },
  };
}

function copyOf(instance: Instance, keys: readonly string[]): Instance {
  const values: Instance = {};
  for (const key of keys) values[key] = instance[key];
  return values;
}
