import { InvalidArgumentError } from '../../core/errors.js';
import { isPromiseLike, runScoped, Scope } from '../../core/scope.js';
import { describeValue, expectFunction, expectPlainObject } from '../../core/validate.js';

/** Options of `@UseCurrent()`. */
export interface UseCurrentOptions<Args extends unknown[] = unknown[]> {
  /**
   * Runs first in each call's fresh scope, with the method's arguments and
   * `this`: the place to set attributes from a job or a message. May be
   * async; the method runs once it settled.
   */
  readonly setup?: (this: never, ...args: Args) => unknown;
}

/**
 * Runs every call of the decorated method in a fresh scope, as a request
 * does: for cron jobs (`@Cron`, `@Interval`), queue consumers (`@Processor`,
 * `@OnEvent`) and scripts, which Nest starts outside any request. Each call
 * starts from the defaults (also when called from inside another scope);
 * the scope ends, running reset callbacks, when the method returns or its
 * promise settles. nestjs-cls calls it `@UseCls()`.
 *
 * Put it above or below Nest's decorators: the metadata they set on the method stays on it.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type, or it decorates something other than a method.
 * @example
 * ```ts
 * @Injectable()
 * export class Reports {
 *   @Cron('0 * * * *')
 *   @UseCurrent({ setup() { Current.requestId = `cron-${Date.now()}`; } })
 *   async hourly() { await this.mailer.send(); } // logs carry Current.requestId
 * }
 * ```
 */
export function UseCurrent<Args extends unknown[]>(options: UseCurrentOptions<Args> = {}): MethodDecorator {
  expectPlainObject('options', options);
  const { setup } = options;
  if (setup !== undefined) expectFunction('options.setup', setup);
  return (_target, property, descriptor) => {
    const method: unknown = descriptor.value;
    if (typeof method !== 'function') {
      throw new InvalidArgumentError(
        `Expected @UseCurrent() to decorate a method, but \`${String(property)}\` is ${describeValue(method)}.`,
      );
    }
    const scoped = function (this: unknown, ...args: Args) {
      return runScoped(new Scope(), () => {
        if (setup === undefined) return method.apply(this, args);
        const pending = setup.apply(this as never, args);
        return isPromiseLike(pending)
          ? Promise.resolve(pending).then(() => method.apply(this, args))
          : method.apply(this, args);
      });
    };
    copyMetadata(method, scoped);
    Object.defineProperty(scoped, 'name', { value: method.name });
    (descriptor as PropertyDescriptor).value = scoped;
    return descriptor;
  };
}

/** Nest's decorators keep their metadata on the method itself (reflect-metadata): the wrapper carries it on. */
function copyMetadata(from: object, to: object): void {
  const reflect = Reflect as typeof Reflect & {
    getMetadataKeys?: (target: object) => unknown[];
    getMetadata?: (key: unknown, target: object) => unknown;
    defineMetadata?: (key: unknown, value: unknown, target: object) => void;
  };
  if (
    reflect.getMetadataKeys === undefined ||
    reflect.getMetadata === undefined ||
    reflect.defineMetadata === undefined
  )
    return;
  for (const key of reflect.getMetadataKeys(from)) reflect.defineMetadata(key, reflect.getMetadata(key, from), to);
}
