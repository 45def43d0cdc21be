import { isDeepStrictEqual } from 'node:util';
import type { Definition, Instance } from './definition.js';
import type { Scope } from './scope.js';
import { runThenCleanUp } from './settle.js';
import { observeAssignments } from './tracking.js';

/** What an attribute held before a `set` changed it, and so what puts it back. */
interface Prior {
  readonly key: string;
  /** Whether `value` is an input its setter received; otherwise it is what the attribute read. */
  readonly assigned: boolean;
  readonly value: unknown;
}

/** One `set` call that has not ended: what it changed, in the order it changed it (a few keys, so an array). */
type Frame = Prior[];

/**
 * The `set` calls running on each definition of a scope, oldest first, by
 * definition id. Kept per scope, not per instance: a `reset` inside a call
 * replaces the instance, and the calls still running must go on sharing.
 */
const framesByScope = new WeakMap<Scope, Array<Frame[] | undefined>>();

/**
 * Runs `fn` with `values` assigned to the instance of `definition` in
 * `scope` through its setters, and puts back what the assignment changed
 * when `fn` returns, throws or settles, as Rails does: each changed
 * attribute's setter runs again with the input it had received before
 * (never with what its getter returned, which may be decorated), then
 * changed fields get their old values.
 *
 * They are put back into the instance the scope holds by then: after a
 * `reset` inside `fn`, the fresh one. Rails' `set` assigns the saved values
 * to the current instance after the block, whatever the block did, so a
 * reset and a write inside the block never outlive it.
 *
 * Calls that overlap in one scope (`Promise.all` in one request) share the
 * instance, as in Rails; an attribute is put back only by the last of them
 * still running that changed it, to what it held before the first did.
 */
export function setAround<R>(definition: Definition, scope: Scope, values: Instance, fn: () => R): R {
  const owner = scope.ownerOf(definition);
  const running = runningCalls(owner, definition);
  const frame: Frame = [];
  running.push(frame);
  return runThenCleanUp(
    () => {
      assignRecordingPriors(definition, owner.instanceFor(definition) as Instance, values, frame);
      return fn();
    },
    () => putBack(definition, owner.instanceFor(definition) as Instance, running, frame),
  );
}

function runningCalls(owner: Scope, definition: Definition): Frame[] {
  let byDefinition = framesByScope.get(owner);
  if (byDefinition === undefined) {
    byDefinition = [];
    framesByScope.set(owner, byDefinition);
  }
  byDefinition[definition.id] ??= [];
  return byDefinition[definition.id] as Frame[];
}

function assignRecordingPriors(definition: Definition, instance: Instance, values: Instance, frame: Frame): void {
  const { fields, setterDescriptors } = definition.shape;
  const keys = Object.keys(values);
  if (!keys.some((key) => setterDescriptors.has(key))) {
    // Only fields: nothing else can change, and their values are what puts them back.
    for (const key of keys) frame.push({ key, assigned: true, value: instance[key] });
    definition.assign(instance, values);
    return;
  }
  const fieldsBefore = fields.map((key) => instance[key]);
  const recordPrior = (target: object, key: string, hadInput: boolean, previousInput: unknown) => {
    if (target !== instance || indexOfKey(frame, key) !== -1) return;
    frame.push({ key, assigned: hadInput, value: hadInput ? previousInput : instance[key] });
  };
  try {
    observeAssignments(recordPrior, () => definition.assign(instance, values));
  } finally {
    // Fields have no setter to observe: those named, or changed by a setter, are compared instead.
    for (let index = 0; index < fields.length; index += 1) {
      const key = fields[index] as string;
      if (Object.hasOwn(values, key) || !Object.is(instance[key], fieldsBefore[index])) {
        frame.push({ key, assigned: true, value: fieldsBefore[index] });
      }
    }
  }
}

function putBack(definition: Definition, instance: Instance, running: Frame[], frame: Frame): void {
  const index = running.indexOf(frame);
  running.splice(index, 1);
  let failure: { error: unknown } | undefined;
  for (const prior of frame) {
    if (handedToSuccessor(running, index, prior)) continue;
    try {
      putBackOne(definition, instance, prior);
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== undefined) throw failure.error;
}

/**
 * When a call that started after this one (at `from` or later) and is still
 * running changed the same attribute, it becomes the one to put back what
 * was there before this call.
 */
function handedToSuccessor(running: readonly Frame[], from: number, prior: Prior): boolean {
  for (let later = from; later < running.length; later += 1) {
    const successor = running[later] as Frame;
    const position = indexOfKey(successor, prior.key);
    if (position !== -1) {
      successor[position] = prior;
      return true;
    }
  }
  return false;
}

function indexOfKey(frame: Frame, key: string): number {
  for (let index = 0; index < frame.length; index += 1) if ((frame[index] as Prior).key === key) return index;
  return -1;
}

function putBackOne(definition: Definition, instance: Instance, { key, assigned, value }: Prior): void {
  instance[key] = value;
  if (assigned) return;
  // Never assigned in this scope, so no input is known: Rails gives the setter what the getter read. When
  // the getter decorates, that reads differently; `undefined` is then the input of a never-assigned attribute.
  if (definition.shape.accessors.includes(key) && !isDeepStrictEqual(instance[key], value)) {
    instance[key] = undefined;
    if (!isDeepStrictEqual(instance[key], value)) {
      process.emitWarning(
        `${definition.shape.name}.set() could not put \`${key}\` back: it read ${String(value)} before, ` +
          `and its setter cannot reproduce that. Assign ${key} before set(), so its input is known.`,
        'CurrentAttributesWarning',
      );
    }
  }
}
