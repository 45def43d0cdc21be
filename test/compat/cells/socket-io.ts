import type { Server } from 'node:http';
import { scopePerMessage } from 'current-attributes';
import { type Socket, Server as SocketServer } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { type Hooks, libraryRows } from '../harness/cell.js';
import { Current } from '../harness/current.js';

type Ack = (answer: string) => void;

/** The connection's handler for one event: reads Current, meets the others, acknowledges; the second event ends the exchange. */
function handlePing(id: number, hooks: Hooks) {
  return async (message: string, ack: Ack) => {
    const probe = hooks.probe(id);
    probe.read();
    if (message === 'first') await hooks.together(id);
    else await hooks.done(id);
    probe.read();
    ack(`${message} done`);
  };
}

/**
 * A socket.io server on the app's node:http server: each client connects as
 * request n (in the handshake's query) and emits two events with an ack. As
 * is, the handler is added in a `Current.run` that sets the connection's
 * values; fixed, through `scopePerMessage`.
 */
function socketIoCell(perMessage: boolean) {
  let io: SocketServer | undefined;
  return {
    start: () => ({}),
    stop: () => new Promise<void>((resolve) => (io === undefined ? resolve() : io.close(() => resolve()))),
    transport: {
      attach(_shared: object, server: Server, hooks: Hooks) {
        io = new SocketServer(server, { transports: ['websocket'] });
        io.on('connection', (socket: Socket) => {
          const id = Number(socket.handshake.query.id);
          const setup = () => {
            Current.requestId = id;
          };
          if (perMessage) {
            socket.on('ping', scopePerMessage(setup)(handlePing(id, hooks)));
          } else {
            Current.run(() => {
              setup();
              socket.on('ping', handlePing(id, hooks));
            });
          }
        });
      },
      async send(_shared: object, url: string, id: number) {
        const client = connect(url, { transports: ['websocket'], query: { id }, forceNew: true, reconnection: false });
        try {
          for (const message of ['first', 'second']) {
            const answer: unknown = await client.timeout(30_000).emitWithAck('ping', message);
            if (answer !== `${message} done`) throw new Error(`unexpected answer ${String(answer)}`);
          }
        } finally {
          client.close();
        }
      },
    },
  };
}

export const rows = libraryRows('socket.io', 'socket.io', [
  {
    key: 'event',
    mode: 'event handlers added in a Current.run that sets the connection values',
    asIs: socketIoCell(false),
    fixed: { fix: "socket.on('ping', scopePerMessage(setup)(handler))", cell: socketIoCell(true) },
  },
]);
