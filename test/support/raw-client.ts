import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { watchText } from './text-watch.js';

/** A raw HTTP/1.1 connection, for what fetch cannot do: pipelining, a body in pieces, hanging up at a chosen moment. */
export interface RawClient {
  /** Writes bytes as they are, in one `write`. */
  write(text: string): void;
  /** Everything the server sent so far. */
  readonly received: string;
  /** Resolves once the server sent something containing `text`. */
  receivedText(text: string): Promise<void>;
  /** Hangs up (destroys the socket) and resolves once it closed. */
  hangUp(): Promise<void>;
}

/** Opens a connection to `url` (an `http://127.0.0.1:port` address). */
export async function rawClient(url: string): Promise<RawClient> {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  const received = watchText();
  socket.on('data', (chunk: Buffer) => received.append(chunk.toString('latin1')));
  return {
    write: (text) => socket.write(text),
    get received() {
      return received.text;
    },
    receivedText: (text) => received.shows(text, once(socket, 'close'), 'closed'),
    hangUp: () =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.destroy();
      }),
  };
}

/** A GET request for `path` with `headers`, as raw text. */
export function get(path: string, headers: Record<string, string> = {}): string {
  const lines = Object.entries({ host: '127.0.0.1', ...headers }).map(([name, value]) => `${name}: ${value}`);
  return `GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}
