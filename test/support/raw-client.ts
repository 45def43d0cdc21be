import { connect, type Socket } from 'node:net';

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
  let received = '';
  const waiting = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
    for (const check of waiting) check();
  });
  return {
    write: (text) => socket.write(text),
    get received() {
      return received;
    },
    receivedText: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!received.includes(text)) return;
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        socket.once('close', () => (received.includes(text) ? undefined : reject(new Error(`closed before ${text}`))));
        check();
      }),
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
