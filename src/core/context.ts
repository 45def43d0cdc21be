import { InvalidArgumentError } from './errors.js';
import { expectOptions, optionNames } from './options.js';
import { type AnyCurrent, allCurrents, findByName, type RegisteredCurrent, resolveCurrents } from './registry.js';
import { runScoped, Scope, storage } from './scope.js';
import { describeValue, expectFunction, isPlainObject } from './validate.js';

/**
 * The values of several `Current` definitions, each as its own `serialize()`
 * returned it, keyed by the definition's name. Plain data: store it with a
 * job, post it to a worker. Read it only with `restoreContext`.
 *
 * @example
 * ```ts
 * const context: SerializedContext | undefined = serializeContext([Current, Session]);
 * ```
 */
export type SerializedContext = Readonly<Record<string, unknown>>;

/** Options of `restoreContext`. */
export interface RestoreContextOptions {
  /** The definitions to restore. Default: every definition of this process that the context carries. */
  readonly currents?: readonly AnyCurrent[];
  /**
   * Called with the name of each definition the context carries but this
   * process never defined (the context came from another release); its
   * values are dropped. Default: a process warning.
   */
  readonly onUnknownDefinition?: (name: string) => void;
}

/**
 * Serializes the active scope's values of every `Current` definition (or of
 * `currents`) in one object, for a job or a worker thread: Sidekiq's
 * `CurrentAttributes` persistence for several definitions at once. Outside
 * any scope there is nothing to carry, and it returns `undefined`.
 *
 * @param currents - the definitions to carry. Default: every one defined in this process.
 * @throws {InvalidArgumentError} when `currents` holds something that is not a `Current`.
 * @throws {InvalidDefinitionError} when two of the definitions share a name (give one `options.name`).
 * @throws {UnserializableAttributeError} from a definition's `serialize()`.
 * @example
 * ```ts
 * app.post('/reports', (req, res) => {
 *   worker.postMessage({ report: req.body, context: serializeContext() });
 *   res.sendStatus(202);
 * });
 * ```
 */
export function serializeContext(currents?: readonly AnyCurrent[]): SerializedContext | undefined {
  const entries = resolveCurrents(currents);
  if (storage.getStore() === undefined) return undefined;
  const context: Record<string, unknown> = {};
  for (const { name, current } of entries) context[name] = current.serialize();
  return context;
}

/**
 * Runs `fn` in one fresh scope holding the values `context` carries (from
 * `serializeContext`), each definition's through its own `restore()`, so a
 * payload from another version of a class is handled as `restore` documents.
 * With `context` undefined (serialized outside any scope) the scope starts
 * empty. The scope ends, running reset callbacks once per definition, when
 * `fn` returns, throws or its promise settles.
 *
 * @throws {InvalidArgumentError} when `context` is not a plain object or undefined, or an option is malformed or unknown.
 * @throws {InvalidDefinitionError} when two of the definitions to restore share a name.
 * @throws whatever a definition's `restore()` throws for its payload.
 * @example
 * ```ts
 * parentPort.on('message', ({ report, context }) =>
 *   restoreContext(context, () => buildReport(report)), // Current.user is the requester
 * );
 * ```
 */
export function restoreContext<R>(
  context: SerializedContext | undefined,
  fn: () => R,
  options: RestoreContextOptions = {},
): R {
  const payloads = payloadsOf(context);
  expectFunction('fn', fn);
  return restoreChecked(payloads, fn, checkRestoreOptions(options, 'restoreContext()'));
}

/** `RestoreContextOptions`, checked and with their defaults. */
export interface CheckedRestoreOptions {
  readonly currents: readonly RegisteredCurrent[] | undefined;
  readonly onUnknownDefinition: (name: string) => void;
}

const RESTORE_OPTIONS = optionNames<RestoreContextOptions>({ currents: true, onUnknownDefinition: true });

/**
 * Checks `options` once, for a wrapper that restores many contexts;
 * `owner` is the function the message names.
 *
 * @throws {InvalidArgumentError} when an option is malformed or unknown.
 * @throws {InvalidDefinitionError} when two of `options.currents` share a name.
 */
export function checkRestoreOptions(options: RestoreContextOptions, owner: string): CheckedRestoreOptions {
  expectOptions(options, RESTORE_OPTIONS, owner);
  const { currents, onUnknownDefinition = warnOfUnknownDefinition } = options;
  expectFunction('options.onUnknownDefinition', onUnknownDefinition);
  return { currents: currents === undefined ? undefined : resolveCurrents(currents), onUnknownDefinition };
}

/**
 * `restoreContext` after its arguments were checked: `payloads` from
 * `payloadsOf`, `options` from `checkRestoreOptions`. `scope` is the fresh
 * scope to fill (a job's that carries a deadline); default a plain one.
 */
export function restoreChecked<R>(
  payloads: ReadonlyArray<readonly [string, unknown]>,
  fn: () => R,
  options: CheckedRestoreOptions,
  scope: Scope = new Scope(undefined, -1, storage.getStore()?.held),
): R {
  // Every definition defined by now, also those imported after the options were checked.
  const restorable = options.currents ?? allCurrents();
  const carried: Array<readonly [RegisteredCurrent, unknown]> = [];
  for (const [name, payload] of payloads) {
    const entry = findByName(restorable, name);
    if (entry !== undefined) carried.push([entry, payload]);
    else if (findByName(allCurrents(), name) === undefined) options.onUnknownDefinition(name);
  }
  // Like `run`: fresh values, but the caller's locks are still held here (the default `scope` keeps them).
  return runScoped(scope, () => {
    const owners = new Set(carried.map(([entry]) => entry.definition));
    for (const [entry, payload] of carried) {
      entry.current.restore(payload as never, () => moveInstances(entry, owners, scope));
    }
    return fn();
  });
}

/**
 * `restore` builds its definition's instance in a scope of its own, which it
 * ends when its callback returns; this callback moves that instance into the
 * one scope being assembled, so the ending scope has nothing left to reset.
 * An instance of another definition there was written by a setter (`set
 * user(u) { Session.previous = u; }`): it is kept unless that definition
 * carries its own values, which win.
 */
function moveInstances(restored: RegisteredCurrent, owners: ReadonlySet<unknown>, target: Scope): void {
  const source = storage.getStore() as Scope;
  for (const { definition } of allCurrents()) {
    const instance = source.instances[definition.id];
    if (instance === undefined) continue;
    source.adopt(definition, undefined);
    if (definition === restored.definition || !owners.has(definition)) target.adopt(definition, instance);
  }
}

/**
 * The `[definition name, payload]` pairs of a context from `serializeContext`; none for `undefined`.
 *
 * @throws {InvalidArgumentError} when `context` is not a plain object.
 */
export function payloadsOf(context: unknown): ReadonlyArray<readonly [string, unknown]> {
  if (context === undefined) return [];
  if (!isPlainObject(context)) {
    throw new InvalidArgumentError(
      `Expected \`context\` to be a plain object from serializeContext() or undefined, got ${describeValue(context)}.`,
    );
  }
  return Object.entries(context);
}

function warnOfUnknownDefinition(name: string): void {
  process.emitWarning(
    `restoreContext() dropped the values of \`${name}\`: no Current of that name is defined in this process. ` +
      'The context was serialized by another release; pass `onUnknownDefinition` to handle it yourself.',
    'CurrentAttributesWarning',
  );
}
