import { InvalidArgumentError } from '../../core/errors.js';
import { expectOptions, optionNames } from '../../core/options.js';
import { isPromiseLike, runScoped, Scope } from '../../core/scope.js';
import { runThenCleanUp } from '../../core/settle.js';
import { describeValue, expectFunction } from '../../core/validate.js';
import { Lifetime } from '../../deadline/lifetime.js';
import type { Propagator } from '../../propagation/propagator.js';
import { carrierOf, expectPropagator, peerOf } from './packet-carrier.js';

/** The part of a Nest microservice transport (`ServerTCP`, `ServerRedis`, a custom strategy) that registers message handlers. */
export interface TransportLike {
  addHandler(pattern: unknown, callback: (...args: never[]) => unknown, ...rest: never[]): unknown;
}

/** Options of `scopedTransport`. */
export interface ScopedTransportOptions {
  /**
   * Runs first in each message's fresh scope, after the traveled values are
   * in, with the message's data and Nest's context (`TcpContext`,
   * `RedisContext`, ...): the place to set attributes from the message. May be async.
   */
  readonly setup?: (data: unknown, context: unknown) => unknown;
  /**
   * Restores the traveling attributes a sender's `propagatePackets` put in
   * the packet's metadata, when the sender is trusted (signed with the
   * propagator's secret; or, with `trust.peers`, from a listed address: the
   * TCP socket's remote address), and the sender's remaining time as the
   * message's deadline (`requestSignal()`, `remainingMs()`). Default: none,
   * every message starts from the defaults.
   */
  readonly propagator?: Propagator;
}

const SCOPED_TRANSPORT_OPTIONS = optionNames<ScopedTransportOptions>({ setup: true, propagator: true });

/**
 * Gives every message a Nest microservice handles a fresh scope, from
 * guards to the handler and exception filters, holding what the sender's
 * `Current` let travel (with `options.propagator`) and started with
 * `setup(data, context)`; it ends when the handler's promise settles (a
 * response Observable that emits later reads the defaults). Never
 * `enterWith`: one message's values never reach the next one on the same
 * connection. Returns the transport it was given, for `createMicroservice`'s
 * or `connectMicroservice`'s `strategy` option.
 *
 * @throws {InvalidArgumentError} when `transport` is not a Nest transport, or an option is unknown or has the wrong type.
 * @example
 * ```ts
 * const app = await NestFactory.createMicroservice(AppModule, {
 *   strategy: scopedTransport(new ServerTCP({ host: '127.0.0.1', port: 4000 }), {
 *     propagator, // Current.tenant and Current.requestId come from the sending request
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
  expectOptions(options, SCOPED_TRANSPORT_OPTIONS, 'scopedTransport()');
  const { setup, propagator } = options;
  if (setup !== undefined) expectFunction('options.setup', setup);
  if (propagator !== undefined) expectPropagator('options.propagator', propagator);
  const inScope = <R>(context: unknown, fn: () => R): R => {
    if (propagator === undefined) return runScoped(new Scope(), fn);
    // A request's kind of scope, so a trusted sender's remaining time becomes this message's deadline (requestSignal()).
    const lifetime = new Lifetime();
    const scope = new Scope(undefined, -1, undefined, undefined, lifetime);
    const peer = peerOf(context);
    return runScoped(scope, () =>
      runThenCleanUp(
        () => {
          propagator.accept(carrierOf(context), peer === undefined ? {} : { peer });
          return fn();
        },
        () => lifetime.ended(),
      ),
    );
  };
  const addHandler = transport.addHandler;
  // An own property of this one transport, so Nest's handler chain (`next`, `isEventHandler`) is built on the wrapper.
  transport.addHandler = function (this: Transport, pattern, callback, ...rest) {
    const scoped = (data: unknown, context: unknown) =>
      inScope(context, () => {
        if (setup === undefined) return Reflect.apply(callback, undefined, [data, context]);
        const pending = setup(data, context);
        const handle = () => Reflect.apply(callback, undefined, [data, context]);
        return isPromiseLike(pending) ? Promise.resolve(pending).then(handle) : handle();
      });
    return Reflect.apply(addHandler, this, [pattern, scoped, ...rest]);
  };
  return transport;
}
