import { isDeepStrictEqual } from 'node:util';
import type { Definition, Instance } from './definition.js';
import { runThenCleanUp } from './settle.js';
import { type AssignedInputs, observeAssignments } from './tracking.js';

/** What an attribute held before a `set` changed it, and so what puts it back. */
interface Prior {
  /** Whether `value` is an input its setter received; otherwise it is what the attribute read. */
  readonly assigned: boolean;
  readonly value: unknown;
}

/** One `set` call that has not ended: the attributes it changed, in the order they changed. */
interface Frame {
  readonly priors: Map<string, Prior>;
}

/** The `set` calls running on each instance, oldest first. */
const framesByInstance = new WeakMap<object, Frame[]>();

/**
 * Runs `fn` with `values` assigned to `instance` through its setters, and
 * puts back what the assignment changed when `fn` returns, throws or
 * settles, as Rails does: each changed attribute's setter runs again with
 * the input it had received before (never with what its getter returned,
 * which may be decorated), then changed fields get their old values.
 *
 * Calls that overlap on one instance (`Promise.all` in one request) share
 * it, as in Rails; an attribute is put back only by the last of them still
 * running that changed it, to what it held before the first did.
 */
export function setAround<R>(definition: Definition, instance: Instance, values: Instance, fn: () => R): R {
  const frames = framesByInstance.get(instance) ?? [];
  framesByInstance.set(instance, frames);
  const frame: Frame = { priors: new Map() };
  frames.push(frame);
  const end = () => putBack(definition, instance, frames, frame);
  return runThenCleanUp(() => {
    assignRecordingPriors(definition, instance, values, frame);
    return fn();
  }, end);
}

function assignRecordingPriors(definition: Definition, instance: Instance, values: Instance, frame: Frame): void {
  const { fields } = definition.shape;
  const fieldsBefore = fields.map((key) => instance[key]);
  const recordPrior = (target: object, key: string, inputs: AssignedInputs) => {
    if (target !== instance || frame.priors.has(key)) return;
    frame.priors.set(
      key,
      inputs.has(key) ? { assigned: true, value: inputs.get(key) } : { assigned: false, value: instance[key] },
    );
  };
  try {
    observeAssignments(recordPrior, () => definition.assign(instance, values));
  } finally {
    // Fields have no setter to observe: those named, or changed by a setter, are compared instead.
    fields.forEach((key, index) => {
      if (Object.hasOwn(values, key) || !Object.is(instance[key], fieldsBefore[index])) {
        frame.priors.set(key, { assigned: true, value: fieldsBefore[index] });
      }
    });
  }
}

function putBack(definition: Definition, instance: Instance, frames: Frame[], frame: Frame): void {
  const index = frames.indexOf(frame);
  frames.splice(index, 1);
  const later = frames.slice(index);
  const failures: unknown[] = [];
  for (const [key, prior] of frame.priors) {
    // A call that started later and is still running changed it too: it will put back what was there before us.
    const successor = later.find((other) => other.priors.has(key));
    if (successor !== undefined) {
      successor.priors.set(key, prior);
      continue;
    }
    try {
      putBackOne(definition, instance, key, prior);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}

function putBackOne(definition: Definition, instance: Instance, key: string, prior: Prior): void {
  instance[key] = prior.value;
  if (prior.assigned) return;
  // Never assigned in this scope, so no input is known: Rails gives the setter what the getter read. When
  // the getter decorates, that reads differently; `undefined` is then the input of a never-assigned attribute.
  if (definition.shape.accessors.includes(key) && !isDeepStrictEqual(instance[key], prior.value)) {
    instance[key] = undefined;
    if (!isDeepStrictEqual(instance[key], prior.value)) {
      process.emitWarning(
        `${definition.shape.name}.set() could not put \`${key}\` back: it read ${String(prior.value)} before, ` +
          `and its setter cannot reproduce that. Assign ${key} before set(), so its input is known.`,
        'CurrentAttributesWarning',
      );
    }
  }
}
