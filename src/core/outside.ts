import { isDeepStrictEqual } from 'node:util';
import { ScopeMissingError } from './errors.js';
import { isPromiseLike } from './settle.js';
import type { ClassShape, Instance } from './shape.js';

type Method = (...args: unknown[]) => unknown;

/**
 * Calls method `key` outside any scope. It runs on a throwaway instance that
 * starts from the out-of-scope defaults, so whatever it writes, even a
 * private field (which `Object.freeze` does not protect and a proxy cannot
 * intercept), never reaches a later caller. A method that only reads returns
 * as usual; one that changed what an attribute reads (or added a property)
 * throws `ScopeMissingError`, as every other write outside a scope does. An
 * async method is checked when its promise settles.
 */
export function callOutsideScope(
  shape: ClassShape,
  create: () => object,
  defaults: Instance,
  key: string,
  args: unknown[],
): unknown {
  const instance = create() as Instance;
  // The same field values as out-of-scope reads see, including default factories such as a request id.
  for (const field of shape.fields) instance[field] = defaults[field];
  const before = observe(shape, instance);
  const check = () => {
    if (!sameObservations(before, observe(shape, instance)))
      throw new ScopeMissingError(shape.name, `${key}()`, 'call');
  };
  const result = (instance[key] as Method).apply(instance, args);
  if (!isPromiseLike(result)) {
    check();
    return result;
  }
  return Promise.resolve(result).then((value) => {
    check();
    return value;
  });
}

interface Observations {
  readonly keys: readonly string[];
  readonly fields: readonly unknown[];
  readonly accessors: readonly unknown[];
}

function observe(shape: ClassShape, instance: Instance): Observations {
  return {
    keys: Object.keys(instance),
    fields: shape.fields.map((field) => instance[field]),
    accessors: shape.accessors.map((accessor) => readOrThrown(instance, accessor)),
  };
}

/** Fields are compared by identity (an assignment is a write); getters may build a new equal value on every read. */
function sameObservations(before: Observations, after: Observations): boolean {
  return (
    isDeepStrictEqual(before.keys, after.keys) &&
    before.fields.every((value, index) => Object.is(value, after.fields[index])) &&
    isDeepStrictEqual(before.accessors, after.accessors)
  );
}

const THREW = Symbol('threw');

function readOrThrown(instance: Instance, key: string): unknown {
  try {
    return instance[key];
  } catch {
    return THREW;
  }
}
