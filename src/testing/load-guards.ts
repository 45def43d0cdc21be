import { realSetImmediate } from './real-timers.js';

/** The part of an autocannon client (one connection) that the guards use: its events, and `destroy`. */
export interface LoadClient {
  on(event: 'headers', listener: () => void): unknown;
  on(event: 'body', listener: (chunk: Buffer) => void): unknown;
  on(event: 'connError', listener: (error: NodeJS.ErrnoException) => void): unknown;
  /** Closes the connection for the rest of the run: autocannon opens no other in its place. */
  destroy(): void;
}

/**
 * The errors a new connection fails with at once, before any packet: the
 * process or the system is out of descriptors or ports. autocannon answers
 * a failed connection by opening the next one at once, so these would
 * chain from tick to tick and starve the event loop: no timer, not even
 * the run's end, nor a signal handler would run again.
 */
const FAILING_AT_ONCE = new Set(['EMFILE', 'ENFILE', 'EADDRNOTAVAIL', 'ENOBUFS']);

/**
 * Bounds what one connection of a load may cost, from autocannon's
 * `setupClient`, through the client's own events: an answer body past
 * `maxBodyBytes` (autocannon keeps every body whole in a string, so an
 * endless one would grow until the process fails) and a connection that
 * cannot be opened at all each close the connection for the rest of the
 * run. autocannon counts the failed connection as an error; `onCut` is told
 * of each answer cut for its length, which autocannon does not count.
 * Hand-written: autocannon has no option for either.
 *
 * @example
 * ```ts
 * let cut = 0;
 * autocannon({ url, setupClient: (client) => guardConnection(client, 16 * 1024 * 1024, () => cut++) });
 * ```
 */
export function guardConnection(client: LoadClient, maxBodyBytes: number, onCut: () => void): void {
  let bytes = 0;
  client.on('headers', () => {
    bytes = 0;
  });
  client.on('body', (chunk) => {
    bytes += chunk.length;
    if (bytes > maxBodyBytes) {
      // The rest of the chunk may still come through the parser: count the answer once.
      bytes = Number.NEGATIVE_INFINITY;
      onCut();
      client.destroy();
    }
  });
  // A connection whose next attempt failed before the event loop turned
  // fails at once, whatever its code says: Bun reports a socket it could not
  // create (EMFILE) as ECONNREFUSED (oven-sh/bun PR #36140; 1.4.5 still
  // does). An attempt refused through the system fails a turn later, and is
  // retried as before.
  let failedThisTurn = false;
  client.on('connError', (error) => {
    if (FAILING_AT_ONCE.has(error.code ?? '') || failedThisTurn) {
      client.destroy();
      return;
    }
    failedThisTurn = true;
    realSetImmediate(() => {
      failedThisTurn = false;
    });
  });
}
