import { createServer, type IncomingMessage } from 'node:http';
import { defineCurrent, scopePerMessage } from 'current-attributes';
import { withCurrent } from 'current-attributes/http';
import { WebSocketServer } from 'ws';

class Attributes {
  user?: string;
}
export const Current = defineCurrent(Attributes, { name: 'ChatCurrent' });

/** Stands in for your authentication: the user a request's token names. */
const userFrom = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? undefined;

/** HTTP requests get their scope from the adapter; WebSocket messages from scopePerMessage. */
export function createChatServer() {
  const server = createServer(
    withCurrent((_req, res) => res.end(`Hello, ${Current.user}`), {
      setup: (req) => {
        Current.user = userFrom(req);
      },
    }),
  );
  new WebSocketServer({ server }).on('connection', (socket, req) => {
    const inScope = scopePerMessage(() => {
      Current.user = userFrom(req);
    });
    socket.on(
      'message',
      inScope((text) => socket.send(`${Current.user}: ${text}`)),
    );
  });
  return server;
}
