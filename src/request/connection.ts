import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
// Imported, not read from the global: Node's global `process` is a getter, called on every read.
import { nextTick } from 'node:process';

/**
 * A request's watch as its connection follows it, in place of a `'close'`
 * listener on its response (see `followOnConnection`).
 */
export interface ConnectionFollower {
  readonly res: ServerResponse;
  /** The next follower of the same response: a scope and a lock both follow one request. */
  nextOnConnection: ConnectionFollower | undefined;
  /** The response was sent: called after its `'finish'` listeners ran, where its `'close'` would have come. */
  responseSent(): void;
  /** The connection closed while the response still held it. */
  connectionClosed(): void;
}

/**
 * What the library knows of one connection it served a request on. One
 * record and one `'close'` listener per connection serve both kinds of
 * request that need the connection: the one whose response holds it
 * (followed), and those queued behind a pipelined response (no socket yet).
 */
interface Connection {
  /** Node published a response of this connection on the finish channel: it will publish every later one. */
  published: boolean;
  /** Whether the connection's `'close'` listener is added: once, for the rest of its life. */
  listening: boolean;
  /** The followers of the response that holds the connection now, in the order they came. */
  followers: ConnectionFollower | undefined;
  /** What to call for the responses queued on the connection, when it closes. */
  queued: Set<() => void> | undefined;
}

/** The diagnostics channel Node's HTTP server publishes each response on when it was sent (Node 16.18+ and 18.7+). */
const RESPONSE_FINISH = 'http.server.response.finish';

interface ResponseFinish {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly socket: Socket;
}

// Keyed by the socket, not a property on it: a symbol added to Node's sockets
// could push them past V8's fast-property limit and slow every socket access.
const connections = new WeakMap<Socket, Connection>();
let subscribed = false;

function connectionOf(socket: Socket): Connection {
  let connection = connections.get(socket);
  if (connection === undefined) {
    if (!subscribed) {
      subscribed = true;
      subscribe(RESPONSE_FINISH, onResponseFinish as (message: unknown) => void);
    }
    connection = { published: false, listening: false, followers: undefined, queued: undefined };
    connections.set(socket, connection);
  }
  return connection;
}

function listenTo(socket: Socket, connection: Connection): void {
  if (connection.listening) return;
  connection.listening = true;
  socket.on('close', onConnectionClosed);
}

/**
 * Follows the response that holds `socket` through the connection instead of
 * a `'close'` listener on the response, and says whether it does.
 *
 * Why: on Node 24 and earlier, adding a listener to a response writes a new
 * key into its dictionary-mode listener table, and Express's responses each
 * have a map of their own, so the add, the count and the later check of
 * `res.socket` all miss V8's inline caches (docs/benchmarks.md). Node's HTTP
 * server publishes every response it sent on the `http.server.response.finish`
 * diagnostics channel, and a connection's `'close'` says when the client left
 * mid-response: one subscriber for the process and one listener per
 * connection instead.
 *
 * Only where that is proven: the first request of a connection keeps its
 * `'close'` listener, and the connection is followed once Node published one
 * of its responses. A response Node's server did not make (Fastify's
 * `inject`, a hand-made `ServerResponse`, HTTP/2's compatibility layer) is
 * never published, so its connection is never trusted and every request on it
 * keeps the listener.
 *
 * @example
 * ```ts
 * if (!followOnConnection(res.socket, watch)) res.on('close', () => watch.closed());
 * ```
 */
export function followOnConnection(socket: Socket, follower: ConnectionFollower): boolean {
  const connection = connectionOf(socket);
  if (!connection.published) return false;
  listenTo(socket, connection);
  let last = connection.followers;
  if (last === undefined) connection.followers = follower;
  else {
    while (last.nextOnConnection !== undefined) last = last.nextOnConnection;
    last.nextOnConnection = follower;
  }
  return true;
}

/**
 * Calls `callback` when `connection` closes, for a response queued behind a
 * pipelined one (it has no socket of its own yet). However many responses
 * queue on one connection, and however many watches each has (its scope's,
 * its locks'), the connection gets one `'close'` listener, the same one
 * `followOnConnection` uses: a listener per queued response made one client
 * pipelining a dozen requests trip Node's `MaxListenersExceededWarning`.
 * Returns the function that stops following.
 *
 * @example
 * ```ts
 * const stop = onConnectionClose(req.socket, () => watch.close());
 * res.once('close', stop);
 * ```
 */
export function onConnectionClose(socket: Socket, callback: () => void): () => void {
  const connection = connectionOf(socket);
  listenTo(socket, connection);
  connection.queued ??= new Set();
  const queued = connection.queued;
  queued.add(callback);
  return () => {
    queued.delete(callback);
  };
}

function onResponseFinish({ response, socket }: ResponseFinish): void {
  const connection = connections.get(socket);
  if (connection === undefined) return;
  connection.published = true;
  const followers = connection.followers;
  if (followers === undefined || followers.res !== response) return;
  connection.followers = undefined;
  // Node publishes before the response's own 'finish' listeners run; they
  // still read the request's values, so the end waits a tick, as 'close' does.
  nextTick(responseSent, followers);
}

function responseSent(first: ConnectionFollower): void {
  let follower: ConnectionFollower | undefined = first;
  while (follower !== undefined) {
    const next: ConnectionFollower | undefined = follower.nextOnConnection;
    follower.nextOnConnection = undefined;
    follower.responseSent();
    follower = next;
  }
}

function onConnectionClosed(this: Socket): void {
  const connection = connections.get(this);
  if (connection === undefined) return;
  connections.delete(this);
  let follower = connection.followers;
  connection.followers = undefined;
  while (follower !== undefined) {
    const next: ConnectionFollower | undefined = follower.nextOnConnection;
    follower.nextOnConnection = undefined;
    follower.connectionClosed();
    follower = next;
  }
  if (connection.queued !== undefined) for (const callback of connection.queued) callback();
}
