import { restoreContext, serializeContext } from '../../core/context.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { openScope, type RequestScope } from '../../core/scope.js';
import { describeValue } from '../../core/validate.js';

/** The part of a Nest WebSocket adapter (`WsAdapter`, `IoAdapter`, or your own) that gives scopes to connections and messages. */
export interface WsAdapterLike {
  bindClientConnect(server: unknown, callback: (...args: never[]) => unknown): unknown;
  bindMessageHandlers(client: unknown, handlers: readonly MessageHandlerLike[], transform: never): unknown;
}

interface MessageHandlerLike {
  readonly callback: (...args: never[]) => unknown;
}

interface ClientLike {
  once?(event: string, listener: () => void): unknown;
}

/**
 * Gives a Nest WebSocket adapter request scopes: each connection gets a
 * scope of its own, in which the gateway's `handleConnection` runs (set
 * `Current.user` there, from the handshake), and each message a fresh scope
 * that starts from the connection's values as they are when the message
 * arrives (a structured-clone copy, as `serializeContext` makes): guards,
 * interceptors, pipes, the handler and exception filters read them, and
 * what a message writes stays in that message. The connection's scope ends
 * when the client disconnects. Returns the adapter it was given.
 *
 * A message that arrives while an async `handleConnection` still runs
 * starts from the values set so far.
 *
 * @throws {InvalidArgumentError} when `adapter` is not a Nest WebSocket adapter.
 * @throws {UnserializableAttributeError} (per message) when the connection holds a value structured clone cannot copy.
 * @example
 * ```ts
 * const app = await NestFactory.create(AppModule);
 * app.useWebSocketAdapter(scopedWsAdapter(new WsAdapter(app)));
 * ```
 */
export function scopedWsAdapter<Adapter extends WsAdapterLike>(adapter: Adapter): Adapter {
  if (
    typeof adapter !== 'object' ||
    adapter === null ||
    typeof adapter.bindClientConnect !== 'function' ||
    typeof adapter.bindMessageHandlers !== 'function'
  ) {
    throw new InvalidArgumentError(
      `Expected \`adapter\` to be a Nest WebSocket adapter (WsAdapter, IoAdapter), got ${describeValue(adapter)}.`,
    );
  }
  const connections = new WeakMap<object, RequestScope>();
  const bindClientConnect = adapter.bindClientConnect;
  const bindMessageHandlers = adapter.bindMessageHandlers;

  // Own properties of this one adapter: the class and other adapters keep Nest's methods.
  adapter.bindClientConnect = function (this: Adapter, server, callback) {
    const connected = (client: ClientLike, ...rest: unknown[]) => {
      const scope = openScope();
      connections.set(client, scope);
      const end = () => scope.end();
      client.once?.('close', end); // ws
      client.once?.('disconnect', end); // socket.io
      return scope.run(() => Reflect.apply(callback, undefined, [client, ...rest]));
    };
    return Reflect.apply(bindClientConnect, this, [server, connected]);
  };
  adapter.bindMessageHandlers = function (this: Adapter, client, handlers, transform) {
    const connection = connections.get(client as object);
    const scoped = handlers.map((handler) => ({
      ...handler,
      callback: (...args: unknown[]) => {
        const values = connection === undefined ? undefined : connection.run(() => serializeContext());
        return restoreContext(values, () => Reflect.apply(handler.callback, undefined, args));
      },
    }));
    return Reflect.apply(bindMessageHandlers, this, [client, scoped, transform]);
  };
  return adapter;
}
