import type { Socket } from 'node:net';

/** The responses queued on one connection, and the one `'close'` listener that tells them all. */
interface Queued {
  readonly callbacks: Set<() => void>;
  readonly closed: () => void;
}

const queuedOn = new WeakMap<Socket, Queued>();

/**
 * Calls `callback` when `connection` closes, for a response queued behind a
 * pipelined one (it has no socket of its own yet). However many responses
 * queue on one connection, and however many watches each has (its scope's,
 * its locks'), the connection gets one `'close'` listener: a listener per
 * queued response made one client pipelining a dozen requests trip Node's
 * `MaxListenersExceededWarning`. Returns the function that stops following,
 * which takes the listener off once nothing on the connection waits.
 *
 * @example
 * ```ts
 * const stop = onConnectionClose(req.socket, () => watch.close());
 * res.once('close', stop);
 * ```
 */
export function onConnectionClose(connection: Socket, callback: () => void): () => void {
  let queued = queuedOn.get(connection);
  if (queued === undefined) {
    const callbacks = new Set<() => void>();
    const closed = () => {
      queuedOn.delete(connection);
      for (const waiting of callbacks) waiting();
    };
    queued = { callbacks, closed };
    queuedOn.set(connection, queued);
    connection.once('close', closed);
  }
  const { callbacks, closed } = queued;
  callbacks.add(callback);
  return () => {
    if (!callbacks.delete(callback) || callbacks.size > 0) return;
    if (queuedOn.get(connection) === queued) queuedOn.delete(connection);
    connection.off('close', closed);
  };
}
