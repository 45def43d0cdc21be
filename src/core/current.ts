/**
 * Request-scoped attributes: Rails' `ActiveSupport::CurrentAttributes` for
 * Node, on one `AsyncLocalStorage`. Every request (job, `run`) gets fresh
 * instances of your attributes classes; code anywhere in the request reads
 * them through `Current` without passing them around, and no other request
 * can see or overwrite them, however many are in flight.
 *
 * ```ts
 * // current.ts
 * class Attributes {
 *   account?: Account;
 *   locale = 'en';                 // a default: fresh in every scope
 *   tags: string[] = [];           // never shared between requests
 *   #user?: User;
 *   get user() { return this.#user; }
 *   set user(user) { this.#user = user; this.account = user?.account; }
 *   get isAdmin() { return this.#user?.role === 'admin'; }
 * }
 * export const Current = defineCurrent(Attributes);
 *
 * // server.ts
 * app.use(currentMiddleware());
 * app.use(async (req, res, next) => { Current.user = await users.find(req.get('x-user')); next(); });
 * app.get('/me', (req, res) => res.json({ user: Current.user, admin: Current.isAdmin }));
 * ```
 *
 * A word of caution: Current is for the few top-level things nearly every
 * piece of the request needs (the user, the account, the request id, the
 * locale). Passing everything through it hides data flow, makes code hard to
 * test in isolation, and turns functions into ones that only work inside a
 * request. When a value is needed by one function, pass it as an argument.
 *
 * @module
 */
import { createControls, RESERVED_NAMES } from './controls.js';
import { createDefinition, type Definition, describeMember } from './definition.js';
import { InvalidArgumentError, ReadonlyAttributeError, UnknownAttributeError } from './errors.js';
import { expectOptions, optionNames } from './options.js';
import { createReader } from './reader.js';
import { registerCurrent } from './registry.js';
import { type AttributesClass, expectClass } from './shape.js';
import type { Current, DefineCurrentOptions } from './types.js';
import { describeValue, expectFunction } from './validate.js';

/**
 * Defines a `Current`: an object typed as your class, whose members read and
 * write the active scope's instance, plus the controls (`run`, `set`,
 * `reset`, `attributes`, ...). Fields are attributes and their initializers
 * are defaults, run again in every scope; getters, setters and methods are
 * called with `this` bound to the scope's instance.
 *
 * The class is constructed twice at definition time (to find its fields and
 * to build the defaults that reads see outside a scope), then once per scope.
 *
 * @param Class - a class whose constructor takes no arguments.
 * @param options - `strict: true` makes reads outside a scope throw, as writes always do; `warnOutsideScope: false`
 *   silences the warning for a read outside any scope by code serving an HTTP request (a forgotten middleware).
 * @throws {InvalidDefinitionError} when `Class` is not a class constructible with no arguments.
 * @throws {RestrictedAttributeError} when the class declares a name reserved for a control.
 * @throws {InvalidArgumentError} when an option has the wrong type or is not one it takes.
 * @example
 * ```ts
 * class Attributes { user?: User; locale = 'en'; }
 * export const Current = defineCurrent(Attributes);
 *
 * await Current.run(async () => {
 *   Current.user = await users.find(id);
 *   await Current.set({ locale: 'fr' }, () => mailer.welcome(Current.user));
 * });
 * ```
 */
export function defineCurrent<T extends object>(
  Class: AttributesClass<T>,
  options: DefineCurrentOptions<T> = {},
): Current<T> {
  expectClass(Class);
  expectOptions(options, DEFINE_CURRENT_OPTIONS, 'defineCurrent()');
  const { strict = false, warnOutsideScope = true } = options;
  for (const [option, value] of [
    ['strict', strict],
    ['warnOutsideScope', warnOutsideScope],
  ] as const) {
    if (typeof value !== 'boolean') {
      throw new InvalidArgumentError(`Expected \`options.${option}\` to be a boolean, got ${describeValue(value)}.`);
    }
  }
  const name = options.name ?? Class.name;
  if (typeof name !== 'string') {
    throw new InvalidArgumentError(`Expected \`options.name\` to be a string, got ${describeValue(name)}.`);
  }
  const { onUnknownAttribute = warnOfDroppedAttribute(name || 'Current') } = options;
  expectFunction('options.onUnknownAttribute', onUnknownAttribute);
  const { travel, hidden } = options;
  const settings = { strict, name, onUnknownAttribute, warnOutsideScope, travel, hidden };
  const definition = createDefinition(Class, settings, RESERVED_NAMES);
  const wrapper = Object.create(unknownMemberGuard(definition)) as object;
  Object.defineProperties(wrapper, memberDescriptors(definition));
  Object.defineProperties(wrapper, controlDescriptors(definition));
  return registerCurrent(Object.freeze(wrapper) as Current<T>, definition);
}

const DEFINE_CURRENT_OPTIONS = optionNames<DefineCurrentOptions>({
  travel: true,
  hidden: true,
  strict: true,
  name: true,
  onUnknownAttribute: true,
  warnOutsideScope: true,
});

function memberDescriptors(definition: Definition): PropertyDescriptorMap {
  const { shape } = definition;
  const descriptors: PropertyDescriptorMap = {};
  const refuse = (key: string, kind: string) => () => {
    throw new ReadonlyAttributeError(shape.name, key, kind);
  };
  const read = (key: string) => createReader(definition, key);
  const write = (key: string) => (value: unknown) => {
    definition.instanceToWrite(key)[key] = value;
  };
  for (const key of [...shape.fields, ...shape.accessors, ...shape.setters]) {
    descriptors[key] = { get: read(key), set: write(key), enumerable: true };
  }
  for (const key of shape.getters) {
    descriptors[key] = { get: read(key), set: refuse(key, 'a getter without a setter'), enumerable: true };
  }
  for (const key of shape.methods) {
    const method = (...args: unknown[]) => definition.callMethod(key, args);
    Object.defineProperty(method, 'name', { value: key });
    descriptors[key] = { get: () => method, set: refuse(key, 'a method') };
  }
  return descriptors;
}

function controlDescriptors(definition: Definition): PropertyDescriptorMap {
  const controls = createControls(definition);
  const descriptors: PropertyDescriptorMap = {};
  for (const key of RESERVED_NAMES) {
    const descriptor = Object.getOwnPropertyDescriptor(controls, key) as PropertyDescriptor;
    const get = descriptor.get ?? (() => descriptor.value);
    descriptors[key] = {
      get,
      set: () => {
        throw new ReadonlyAttributeError(definition.shape.name, key, 'a control of Current');
      },
    };
  }
  return descriptors;
}

/**
 * The prototype of every wrapper: assigning a name the wrapper does not have
 * reaches this proxy's `set` trap, which throws a typed error instead of
 * creating a global (or, in sloppy mode, silently doing nothing). Reads never
 * reach it for declared members, so the hot path pays nothing.
 */
function unknownMemberGuard(definition: Definition): object {
  return new Proxy(Object.prototype, {
    set(_target, key) {
      const name = String(key);
      const kind = describeMember(definition.shape, name, RESERVED_NAMES);
      if (kind !== undefined) throw new ReadonlyAttributeError(definition.shape.name, name, kind);
      throw new UnknownAttributeError(definition.shape.name, name, definition.attributeKeys);
    },
  });
}

function warnOfDroppedAttribute(definition: string) {
  return (attribute: string) =>
    process.emitWarning(
      `${definition}.restore() dropped \`${attribute}\`: ${definition} has no such attribute. ` +
        'The payload was serialized by another version of the class; pass `onUnknownAttribute` to defineCurrent ' +
        'to handle such attributes yourself.',
      'CurrentAttributesWarning',
    );
}
