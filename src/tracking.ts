import type { AttributesClass, ClassShape } from './shape.js';

/**
 * The inputs the setters of one scope instance received: for each attribute
 * with a setter, the last value assigned to it, in the order of those last
 * assignments. Getters may decorate and setters may derive, so this, not what
 * the getters return, is what rebuilds the state (`serialize`) and what puts
 * an attribute back (`set`).
 */
export type AssignedInputs = Map<string, unknown>;

/** Called before a tracked setter runs, while `inputs` still hold the previous input. */
export type AssignmentObserver = (instance: object, key: string, inputs: AssignedInputs) => void;

const inputsByInstance = new WeakMap<object, AssignedInputs>();
let observer: AssignmentObserver | undefined;

/**
 * Returns a factory of scope instances of `Class` whose setters
 * record their input, wherever the assignment comes from: `Current.user = x`,
 * `set`, a method (`this.user = x`) or another setter (`this.person = p`).
 * Only a subclass sees all of these: private fields cannot be observed, and a
 * proxy would break them. Without setters to track, it is `Class` itself.
 */
export function createTrackedFactory(Class: AttributesClass, shape: ClassShape): () => object {
  if (shape.setterDescriptors.size === 0) return () => new Class();
  const Tracked = class extends Class {};
  Object.defineProperty(Tracked, 'name', { value: Class.name });
  for (const [key, { get, set }] of shape.setterDescriptors) {
    Object.defineProperty(Tracked.prototype, key, { get, set: recordingSetter(key, set), configurable: true });
  }
  return () => {
    const instance = new Tracked();
    // Registered after construction: what the constructor assigns is a default, rebuilt by every `new`.
    inputsByInstance.set(instance, new Map());
    return instance;
  };
}

/** The inputs recorded for a scope instance; `undefined` for one whose class has no setters. */
export function assignedInputs(instance: object): AssignedInputs | undefined {
  return inputsByInstance.get(instance);
}

/** Runs `fn`, calling `observe` before every tracked setter that runs during it (setters are synchronous). */
export function observeAssignments<R>(observe: AssignmentObserver, fn: () => R): R {
  const previous = observer;
  observer = observe;
  try {
    return fn();
  } finally {
    observer = previous;
  }
}

function recordingSetter(key: string, set: (value: unknown) => void) {
  return function (this: object, value: unknown) {
    const inputs = inputsByInstance.get(this);
    if (inputs !== undefined) {
      observer?.(this, key, inputs);
      // Deleted first so the key moves to the end: the order of the last assignments is the order that rebuilds.
      inputs.delete(key);
      inputs.set(key, value);
    }
    set.call(this, value);
  };
}
