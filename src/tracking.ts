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

/** How a definition builds its scope instances, and reads back what their setters received. */
export interface TrackedFactory {
  create(): object;
  /** The inputs recorded for an instance built by `create`; `undefined` when none were. */
  inputsOf(instance: object): ReadonlyMap<string, unknown> | undefined;
}

let observer: AssignmentObserver | undefined;

/**
 * Builds scope instances of `Class` whose setters record their input,
 * wherever the assignment comes from: `Current.user = x`, `set`, a method
 * (`this.user = x`) or another setter (`this.person = p`). Only a subclass
 * sees all of these: private fields cannot be observed, and a proxy would
 * break them. Without setters to track, it builds `Class` itself.
 */
export function createTrackedFactory(Class: AttributesClass, shape: ClassShape): TrackedFactory {
  if (shape.setterDescriptors.size === 0) return { create: () => new Class(), inputsOf: () => undefined };

  const Tracked = class extends Class {
    // Initialized once the class's own constructor has returned, so what that constructor assigns is not
    // recorded: it is a default, rebuilt by every `new`. The map itself waits for the first assignment.
    #inputs: AssignedInputs | undefined = undefined;

    static record(instance: object, key: string, value: unknown): void {
      if (!(#inputs in instance)) return;
      instance.#inputs ??= new Map();
      observer?.(instance, key, instance.#inputs);
      // Deleted first so the key moves to the end: the order of the last assignments is the order that rebuilds.
      instance.#inputs.delete(key);
      instance.#inputs.set(key, value);
    }

    static inputsOf(instance: object): AssignedInputs | undefined {
      return #inputs in instance ? instance.#inputs : undefined;
    }
  };
  Object.defineProperty(Tracked, 'name', { value: Class.name });
  for (const [key, { get, set }] of shape.setterDescriptors) {
    const recordingSet = function (this: object, value: unknown) {
      Tracked.record(this, key, value);
      set.call(this, value);
    };
    Object.defineProperty(Tracked.prototype, key, { get, set: recordingSet, configurable: true });
  }
  return { create: () => new Tracked(), inputsOf: (instance) => Tracked.inputsOf(instance) };
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
