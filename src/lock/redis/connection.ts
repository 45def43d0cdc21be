import type { Redis } from 'ioredis';

/** Connection states in which ioredis would hold a command in its offline queue instead of sending it. */
const DISCONNECTED = new Set(['reconnecting', 'end', 'close']);

/** Clients that lost their connection and have not been ready since, as the listeners below saw it. */
const lostClients = new WeakSet<Redis>();
const watched = new WeakSet<Redis>();

/**
 * Follows whether `client` lost its connection and has not been ready
 * since: then its `connecting` and `connect` states are a reconnection, in
 * which ioredis parks commands in its offline queue until it is ready or
 * gives up, however long Redis stays down. One pair of listeners per client,
 * however many backends share it; none for a client already followed.
 *
 * @example
 * ```ts
 * followConnection(client); // once, when the backend is made
 * ```
 */
export function followConnection(client: Redis): void {
  if (watched.has(client)) return;
  watched.add(client);
  client.on('close', () => lostClients.add(client));
  client.on('ready', () => lostClients.delete(client));
}

/**
 * Why a command sent to `client` now would wait in its offline queue rather
 * than reach Redis, or `undefined` when it would be sent (or it is the
 * client's first connection, which a caller at start-up rightly waits for,
 * within its own bounds).
 *
 * @example
 * ```ts
 * const reason = whyNotSent(client); // 'the Redis client is reconnecting'
 * ```
 */
export function whyNotSent(client: Redis): string | undefined {
  const { status } = client;
  if (status === 'ready') return undefined;
  if (DISCONNECTED.has(status)) return `the Redis client is ${status}`;
  if ((status === 'connecting' || status === 'connect') && lostClients.has(client)) {
    return `the Redis client is ${status === 'connecting' ? 'connecting again' : 'connected again but not ready'} after it lost its connection`;
  }
  return undefined;
}
