import { bind, bindEmitter, snapshot } from './bind.js';
import type { Definition, Instance } from './definition.js';
import { ResetCallbackError, ScopeMissingError } from './errors.js';
import { assignedEntries, restoreInstance, serializeInstance } from './payload.js';
import { resetDefinition, runScoped, Scope, storage } from './scope.js';
import { setAround } from './set.js';
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
    const entries = assignedEntries(definition, instance, () => true);
    return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
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
      const scope = storage.getStore();
      if (scope === undefined) throw new ScopeMissingError(shape.name, 'set()', 'call');
      return setAround(definition, scope, values, fn);
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
      return serializeInstance(definition, definition.instanceToRead('serialize()'));
    },
    restore(payload, fn) {
      expectFunction('fn', fn);
      // Like run: fresh values, but the caller's locks are still held here.
      return runScoped(new Scope(undefined, -1, storage.getStore()?.held), () => {
        restoreInstance(definition, definition.instanceToWrite('restore()', 'call'), payload);
        return fn();
      });
    },
  };
}
