import { InvalidArgumentError } from '../../core/errors.js';
import { isPromiseLike, runScoped, Scope } from '../../core/scope.js';
import { describeValue, expectFunction, expectPlainObject } from '../../core/validate.js';

/** The part of a Nest microservice transport (`ServerTCP`, `ServerRedis`, a custom strategy) that registers message handlers. */
export interface TransportLike {
  addHandler(pattern: unknown, callback: (...args: never[]) => unknown, ...rest: never[]): unknown;
}

/** Options of `scopedTransport`. */
export interface ScopedTransportOptions {
  /**
   * Runs first in each message's fresh scope, with the message's data and
   * Nest's context (`TcpContext`, `RedisContext`, ...): the place to set
   * attributes from the message. May be async.
   */
  readonly setup?: (data: unknown, context: unknown) => unknown;
}

/**
 * Gives every message a Nest microservice handles a fresh scope, from
 * guards to the handler and exception filters, started with `setup(data,
 * context)`; it ends when the handler's promise settles (a response
 * Observable that emits later reads the defaults). Never `enterWith`: one
 * message's values never reach the next one on the same connection.
 * Returns the transport it was given, for `createMicroservice`'s or
 * `connectMicroservice`'s `strategy` option.
 *
 * @throws {InvalidArgumentError} when `transport` is not a Nest transport, or an option has the wrong type.
 * @example
 * ```ts
 * const app = await NestFactory.createMicroservice(AppModule, {
 *   strategy: scopedTransport(new ServerTCP({ host: '127.0.0.1', port: 4000 }), {
 *     setup: (data: { user?: string }) => { Current.userName = data.user; },
 *   }),
 * });
 * ```
 */
export function scopedTransport<Transport extends TransportLike>(
  transport: Transport,
  options: ScopedTransportOptions = {},
): Transport {
  if (typeof transport !== 'object' || transport === null || typeof transport.addHandler !== 'function') {
    throw new InvalidArgumentError(
      `Expected \`transport\` to be a Nest microservice transport (ServerTCP, ServerRedis, ...), got ${describeValue(transport)}.`,
    );
  }
  expectPlainObject('options', options);
  const { setup } = options;
  if (setup !== undefined) expectFunction('options.setup', setup);
  const addHandler = transport.addHandler;
  // An own property of this one transport, so Nest's handler chain (`next`, `isEventHandler`) is built on the wrapper.
  transport.addHandler = function (this: Transport, pattern, callback, ...rest) {
    const scoped = (data: unknown, context: unknown) =>
      runScoped(new Scope(), () => {
        if (setup === undefined) return Reflect.apply(callback, undefined, [data, context]);
        const pending = setup(data, context);
        const handle = () => Reflect.apply(callback, undefined, [data, context]);
        return isPromiseLike(pending) ? Promise.resolve(pending).then(handle) : handle();
      });
    return Reflect.apply(addHandler, this, [pattern, scoped, ...rest]);
  };
  return transport;
}
