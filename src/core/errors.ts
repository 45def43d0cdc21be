/**
 * The base class of every error this library throws, so one `instanceof`
 * check catches them all.
 *
 * @example
 * ```ts
 * try {
 *   Current.user = user;
 * } catch (error) {
 *   if (error instanceof CurrentAttributesError) console.error(error.message);
 *   throw error;
 * }
 * ```
 */
export class CurrentAttributesError extends Error {
  override name = 'CurrentAttributesError';
}

/**
 * Thrown when an argument or option has the wrong type or range. The message
 * names the parameter, what was expected and what was given.
 *
 * @example
 * ```ts
 * Current.run(42); // InvalidArgumentError: Expected `fn` to be a function, got `42` (number)
 * ```
 */
export class InvalidArgumentError extends CurrentAttributesError {
  override name = 'InvalidArgumentError';
}

/**
 * Thrown by `defineCurrent` when its argument is not a class that can be
 * constructed without arguments, or when an option is malformed.
 *
 * @example
 * ```ts
 * defineCurrent(() => ({})); // InvalidDefinitionError: Expected a class ...
 * ```
 */
export class InvalidDefinitionError extends CurrentAttributesError {
  override name = 'InvalidDefinitionError';
}

/**
 * Thrown by `defineCurrent` when members of the class would shadow the
 * controls of `Current` (`set`, `run`, `reset`, ...). Lists every offending
 * name, in the order the class declares them.
 *
 * @example
 * ```ts
 * class Attributes { reset = false; }
 * defineCurrent(Attributes); // RestrictedAttributeError: ... `reset` ...
 * ```
 */
export class RestrictedAttributeError extends CurrentAttributesError {
  override name = 'RestrictedAttributeError';

  constructor(
    readonly definition: string,
    readonly names: readonly string[],
    reserved: readonly string[],
  ) {
    super(
      `${definition} declares ${names.map((name) => `\`${name}\``).join(', ')}, ` +
        `which ${names.length === 1 ? 'is a name' : 'are names'} reserved for the controls of Current. ` +
        `Rename ${names.length === 1 ? 'it' : 'them'}; the reserved names are: ${reserved.join(', ')}.`,
    );
  }
}

/**
 * Thrown when code writes an attribute, calls `reset`/`set`, or (with
 * `strict: true`) reads an attribute while no scope is active: outside a
 * request, a job or `Current.run`.
 *
 * @example
 * ```ts
 * Current.user = user; // at module top level: ScopeMissingError
 * Current.run(() => { Current.user = user; }); // fine
 * ```
 */
export class ScopeMissingError extends CurrentAttributesError {
  override name = 'ScopeMissingError';

  constructor(
    readonly definition: string,
    readonly member: string,
    action: 'read' | 'write' | 'call',
  ) {
    super(
      `Cannot ${action} ${definition}.${member}: no scope is active. ` +
        'Mount currentMiddleware() before the code that uses it, ' +
        'or wrap the code in Current.run(() => ...) (jobs, scripts, tests). ' +
        'If the scope was lost in a callback, wrap the callback in Current.bind(fn). ' +
        'If the middleware is mounted, check that the app has one copy of the package (npm ls current-attributes): ' +
        'each copy keeps scopes of its own.',
    );
  }
}

/**
 * Thrown when code names an attribute the class does not declare: assigning
 * an undeclared property on `Current`, or an unknown, symbol or
 * non-enumerable key in `set`.
 *
 * @example
 * ```ts
 * Current.set({ usr: user }, fn); // UnknownAttributeError: ... `usr` ...
 * ```
 */
export class UnknownAttributeError extends CurrentAttributesError {
  override name = 'UnknownAttributeError';

  constructor(
    readonly definition: string,
    readonly attribute: string,
    known: readonly string[],
    problem?: 'not enumerable',
  ) {
    super(
      problem === 'not enumerable'
        ? `${definition} was given \`${attribute}\`, but \`${attribute}\` is not enumerable, so it would be skipped. ` +
            `Pass the attributes as a plain object literal: \`{ ${attribute}: value }\`.`
        : `${definition} has no attribute \`${attribute}\`. ` +
            `Declare it as a field of the class (\`${attribute}?: Type;\`) ` +
            `or use one of: ${known.length === 0 ? '(none declared)' : known.join(', ')}. ` +
            'Fields declared without an initializer are only seen when the class is compiled ' +
            'with `useDefineForClassFields` (the default for ES2022 targets).',
    );
  }
}

/**
 * Thrown when code assigns a member of `Current` that cannot be assigned: a
 * getter without a setter, a method, or one of the controls.
 *
 * @example
 * ```ts
 * Current.isAdmin = true; // ReadonlyAttributeError: `isAdmin` is a getter without a setter
 * ```
 */
export class ReadonlyAttributeError extends CurrentAttributesError {
  override name = 'ReadonlyAttributeError';

  constructor(
    readonly definition: string,
    readonly attribute: string,
    kind: string,
  ) {
    super(
      `Cannot assign ${definition}.${attribute}: it is ${kind}. ` +
        'Assign one of the attributes it reads instead, or add a setter to the class.',
    );
  }
}

/**
 * Thrown when one or more `beforeReset`/`afterReset` callbacks failed. Every
 * callback still ran and the values were still cleared; `errors` holds each
 * failure.
 *
 * @example
 * ```ts
 * try {
 *   Current.reset();
 * } catch (error) {
 *   if (error instanceof ResetCallbackError) for (const cause of error.errors) report(cause);
 * }
 * ```
 */
export class ResetCallbackError extends CurrentAttributesError {
  override name = 'ResetCallbackError';

  constructor(readonly errors: readonly unknown[]) {
    super(
      `${errors.length} reset callback${errors.length === 1 ? '' : 's'} failed; ` +
        'the scope was cleared anyway. See `errors` for each failure and fix the callback.',
      { cause: errors[0] },
    );
  }
}

/**
 * Thrown by `serialize` when an attribute's value cannot cross a process
 * boundary unchanged (a function, a socket, an instance of a class, whose
 * methods and private fields a structured clone drops), naming the attribute.
 *
 * @example
 * ```ts
 * Current.logger = pino();
 * Current.serialize(); // UnserializableAttributeError: Cannot serialize Current.logger ...
 * ```
 */
export class UnserializableAttributeError extends CurrentAttributesError {
  override name = 'UnserializableAttributeError';

  constructor(
    readonly definition: string,
    readonly attribute: string,
    cause: unknown,
  ) {
    super(
      `Cannot serialize ${definition}.${attribute}: ${String(cause)}. ` +
        'Only structured-cloneable values can cross into a job or a worker; ' +
        'store an id in the attribute, or set it to undefined before serialize().',
      { cause },
    );
  }
}

/**
 * Thrown by `restore` when its payload is not one that `serialize` returned:
 * not from this library, malformed, or from a newer release that writes a
 * format this one cannot read.
 *
 * @example
 * ```ts
 * Current.restore({ user }, fn); // InvalidPayloadError: Expected `payload` to be what Current.serialize() returned ...
 * ```
 */
export class InvalidPayloadError extends CurrentAttributesError {
  override name = 'InvalidPayloadError';
}
