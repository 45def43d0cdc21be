import type { AttributesClass, ClassShape } from './shape.js';

/**
 * Called before a tracked setter runs, with the input the attribute had
 * received before (`hadInput` false when it never had one).
 */
export type AssignmentObserver = (instance: object, key: string, hadInput: boolean, previousInput: unknown) => void;

/** How a definition builds its scope instances, and reads back what their setters received. */
export interface TrackedFactory {
  create(): object;
  /**
   * For an instance built by `create`, the input each setter last received,
   * in the order of those last assignments. Getters may decorate and setters
   * may derive, so these, not what the getters return, rebuild the state
   * (`serialize`) and put an attribute back (`set`).
   */
  inputsOf(instance: object): Array<readonly [string, unknown]>;
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
  if (shape.setterDescriptors.size === 0) return { create: () => new Class(), inputsOf: () => [] };

  const Tracked = class extends Class {
    // Initialized once the class's own constructor has returned, so what that constructor assigns is not
    // recorded: it is a default, rebuilt by every `new`. Names and inputs alternate, in the order of the last
    // assignments: a flat array costs less than a Map on every request, and holds a handful of names.
    #inputs: unknown[] | undefined = undefined;

    static record(instance: object, key: string, value: unknown): void {
      if (!(#inputs in instance)) return;
      const inputs = instance.#inputs;
      if (inputs === undefined) {
        observer?.(instance, key, false, undefined);
        // Sized to fit: most requests assign a setter or two, and an array grown by push would be ten times larger.
        instance.#inputs = [key, value];
        return;
      }
      let index = 0;
      while (index < inputs.length && inputs[index] !== key) index += 2;
      const had = index < inputs.length;
      observer?.(instance, key, had, had ? inputs[index + 1] : undefined);
      if (had) inputs.splice(index, 2);
      inputs.push(key, value);
    }

    static inputsOf(instance: object): Array<readonly [string, unknown]> {
      const inputs = #inputs in instance ? (instance.#inputs ?? []) : [];
      const entries: Array<readonly [string, unknown]> = [];
      for (let index = 0; index < inputs.length; index += 2) entries.push([inputs[index] as string, inputs[index + 1]]);
      return entries;
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
