import { InvalidArgumentError } from '../../core/errors.js';
import { describeValue } from '../../core/validate.js';
import type { Propagator } from '../../propagation/propagator.js';

/** The part of a Nest microservice packet (`ReadPacket`) the dispatch hook writes: its out-of-band metadata. */
export interface PacketLike {
  metadata?: Record<string, string>;
}

/**
 * A dispatch hook for a Nest `ClientProxy` (Nest 12's
 * `client.setOnDispatchHook`): every request and event the client sends
 * from inside a scope carries that scope's traveling attributes (signed,
 * when the propagator has a secret) in the packet's metadata, for
 * `scopedTransport(..., { propagator })` on the other side. The payload is
 * not touched; metadata already on the packet is kept. Outside a scope, or
 * with nothing to send, it adds nothing. A client has one dispatch hook:
 * to add your own, call this one from it.
 *
 * @throws {InvalidArgumentError} when `propagator` is not made by `createPropagator`.
 * @throws {PropagationLimitError} (per packet) when the values would be over W3C baggage's limits.
 * @example
 * ```ts
 * const billing = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: 4000 } });
 * billing.setOnDispatchHook(propagatePackets(propagator));
 * await firstValueFrom(billing.send('invoice', { amount })); // the handler reads the request's Current.tenant
 * ```
 */
export function propagatePackets(propagator: Propagator): (packet: PacketLike) => void {
  expectPropagator('propagator', propagator);
  return (packet) => {
    const metadata = propagator.inject({ ...packet.metadata });
    if (Object.keys(metadata).length > 0) packet.metadata = metadata;
  };
}

export function expectPropagator(name: string, propagator: unknown): asserts propagator is Propagator {
  const candidate = propagator as Partial<Propagator> | null | undefined;
  if (typeof candidate?.extract !== 'function' || typeof candidate.inject !== 'function') {
    throw new InvalidArgumentError(
      `Expected \`${name}\` to be made by createPropagator() (current-attributes/propagation), got ${describeValue(propagator)}.`,
    );
  }
}

/** The packet's metadata, as the transport's context gives it (`TcpContext`, `RedisContext` on Nest 12); `{}` when it has none. */
export function carrierOf(context: unknown): Record<string, unknown> {
  const getMetadata = (context as { getMetadata?: unknown } | undefined)?.getMetadata;
  const metadata = typeof getMetadata === 'function' ? Reflect.apply(getMetadata, context, []) : undefined;
  return metadata !== null && typeof metadata === 'object' ? (metadata as Record<string, unknown>) : {};
}

/** The sender's address, for `trust.peers`: a TCP context's socket (Nest's JSON socket wraps `net.Socket`). */
export function peerOf(context: unknown): string | undefined {
  const getSocketRef = (context as { getSocketRef?: unknown } | undefined)?.getSocketRef;
  if (typeof getSocketRef !== 'function') return undefined;
  const socket = (Reflect.apply(getSocketRef, context, []) as { socket?: { remoteAddress?: unknown } } | undefined)
    ?.socket;
  return typeof socket?.remoteAddress === 'string' ? socket.remoteAddress : undefined;
}
