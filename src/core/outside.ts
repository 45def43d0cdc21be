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
 * as usual; one that changed what an attribute or a getter reads (or added a
 * property) throws `ScopeMissingError`, as every other write outside a scope
 * does. An async method is checked when its promise settles.
 */
export function callOutsideScope(
  shape: ClassShape,
  create: () => object,
  defaults: Instance,
  key: string,
  args: unknown[],
): unknown {
  const instance = startFromDefaults(shape, create, defaults);
  // Getters without a setter may compute (a clock, a random id): they are
  // compared with a twin the method never touched, read between two reads of
  // the instance, and only where the two agreed before the call.
  const twin = shape.getters.length === 0 ? undefined : startFromDefaults(shape, create, defaults);
  const before = observe(shape, instance);
  const comparable = twin === undefined ? [] : shape.getters.filter((getter) => readsAlike(instance, twin, getter));
  const check = () => {
    if (!sameObservations(before, observe(shape, instance)) || gettersMoved(instance, twin, comparable)) {
      throw new ScopeMissingError(shape.name, `${key}()`, 'call');
    }
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

function startFromDefaults(shape: ClassShape, create: () => object, defaults: Instance): Instance {
  const instance = create() as Instance;
  // The same field values as out-of-scope reads see, including default factories such as a request id.
  for (const field of shape.fields) instance[field] = defaults[field];
  return instance;
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

function readsAlike(instance: Instance, twin: Instance, getter: string): boolean {
  return isDeepStrictEqual(readOrThrown(instance, getter), readOrThrown(twin, getter));
}

/**
 * Whether a getter of `instance` reads differently from the untouched twin
 * now. A getter whose two reads of `instance` around the twin's read differ
 * changes by itself (a clock past a tick) and proves nothing.
 */
function gettersMoved(instance: Instance, twin: Instance | undefined, getters: readonly string[]): boolean {
  if (twin === undefined) return false;
  return getters.some((getter) => {
    const first = readOrThrown(instance, getter);
    const control = readOrThrown(twin, getter);
    const second = readOrThrown(instance, getter);
    return isDeepStrictEqual(first, second) && !isDeepStrictEqual(first, control);
  });
}

const THREW = Symbol('threw');

function readOrThrown(instance: Instance, key: string): unknown {
  try {
    return instance[key];
  } catch {
    return THREW;
  }
}
