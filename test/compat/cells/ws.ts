import { once } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import { scopePerMessage } from 'current-attributes';
import { WebSocket, WebSocketServer } from 'ws';
import { type Hooks, libraryRows } from '../harness/cell.js';
import { Current } from '../harness/current.js';
import { requestIdOf } from '../harness/http-transport.js';

/** The connection's handler for one message: reads Current, meets the others, answers; the second message ends the exchange. */
function handleMessage(socket: WebSocket, id: number, hooks: Hooks) {
  return async (data: Buffer) => {
    const probe = hooks.probe(id);
    probe.read();
    if (String(data) === 'first') await hooks.together(id);
    else await hooks.done(id);
    probe.read();
    socket.send(`${data} done`);
  };
}

/**
 * A ws server on the app's node:http server: each client connects as
 * request n (`/?id=n`) and sends two messages. As is, the handler is added in
 * a `Current.run` that sets the connection's values, as one would for a
 * request; fixed, through `scopePerMessage`.
 */
function wsCell(perMessage: boolean) {
  let wss: WebSocketServer | undefined;
  return {
    start: () => ({}),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const client of wss?.clients ?? []) client.terminate();
        wss?.close(() => resolve()) ?? resolve();
      }),
    transport: {
      attach(_shared: object, server: Server, hooks: Hooks) {
        wss = new WebSocketServer({ server });
        wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
          const id = requestIdOf(req.url);
          const setup = () => {
            Current.requestId = id;
          };
          if (perMessage) {
            const inScope = scopePerMessage(setup);
            socket.on('message', inScope(handleMessage(socket, id, hooks)));
          } else {
            Current.run(() => {
              setup();
              socket.on('message', handleMessage(socket, id, hooks));
            });
          }
        });
      },
      async send(_shared: object, url: string, id: number) {
        const client = new WebSocket(`${url.replace('http', 'ws')}/?id=${id}`);
        await once(client, 'open');
        for (const message of ['first', 'second']) {
          const answered = once(client, 'message');
          client.send(message);
          const [answer] = await answered;
          if (String(answer) !== `${message} done`) throw new Error(`unexpected answer ${answer}`);
        }
        client.close();
        await once(client, 'close');
      },
    },
  };
}

export const rows = libraryRows('ws', 'ws', [
  {
    key: 'message',
    mode: "'message' listeners added in a Current.run that sets the connection's values",
    asIs: wsCell(false),
    fixed: { fix: "socket.on('message', scopePerMessage(setup)(handler))", cell: wsCell(true) },
  },
]);
