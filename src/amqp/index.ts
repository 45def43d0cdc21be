import { expectFunction, expectPlainObject } from '../core/validate.js';
import type { Propagator } from '../propagation/propagator.js';

/** The part of amqplib's publish options this module writes: message headers. */
export interface PublishOptionsWithHeaders {
  readonly headers?: Record<string, unknown>;
  readonly [option: string]: unknown;
}

/** The part of an amqplib message this module reads. */
export interface MessageWithHeaders {
  readonly properties: { readonly headers?: Record<string, unknown> | undefined };
}

/**
 * Returns a copy of amqplib's publish `options` whose `headers` carry the
 * active scope's traveling values in a `baggage` header, signed, for
 * `consumeInContext` on the other side. amqplib is never imported: any
 * version, and `amqp-connection-manager`, take the same options.
 *
 * @throws {PropagationLimitError} when the header would be over W3C's limits.
 * @example
 * ```ts
 * channel.sendToQueue('invoices', Buffer.from(body), publishOptions(propagator, { persistent: true }));
 * ```
 */
export function publishOptions<O extends PublishOptionsWithHeaders>(propagator: Propagator, options?: O): O {
  const given = options ?? ({} as O);
  expectPlainObject('options', given);
  return { ...given, headers: propagator.inject({ ...given.headers }) };
}

/**
 * Wraps an amqplib consumer so each message runs in a fresh scope holding
 * the values its publisher sent, if they are signed with the shared secret
 * (a queue has no peer address to trust: a propagator with `trust.peers`
 * only refuses every message, counted as `untrustedPeer`). A redelivered
 * message is restored again, from its own headers: its signature is accepted
 * more than once. A message older than the propagator's `trust.maxAgeMs`
 * is refused as expired, so give a queue's propagator an age that covers how
 * long messages wait. amqplib's `null` (the consumer was cancelled) is
 * passed on outside any scope.
 *
 * @example
 * ```ts
 * await channel.consume('invoices', consumeInContext(propagator, async (message) => {
 *   await bill(Current.tenant); // the publisher's tenant
 *   channel.ack(message);
 * }));
 * ```
 */
export function consumeInContext<M extends MessageWithHeaders, R>(
  propagator: Propagator,
  onMessage: (message: M | null) => R,
): (message: M | null) => R {
  expectFunction('onMessage', onMessage);
  return (message) => {
    if (message === null) return onMessage(message);
    return propagator.extract(message.properties.headers ?? {}, () => onMessage(message), { redelivery: true });
  };
}
