import { createServer, Agent as HttpAgent, get as httpGet, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { libraryRows } from '../harness/cell.js';
import type { Probe } from '../harness/reads.js';

/**
 * An upstream service the requests call, made at start-up: it answers each
 * call with a body in two chunks, so the client's body events fire twice.
 */
async function upstream(): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.write('first ');
    setImmediate(() => res.end('second'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

function closeUpstream(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

interface UndiciShared {
  readonly server: Server;
  readonly url: string;
  readonly agent: Agent;
}

/** undici's request with one keep-alive connection shared by every request; the body read by events or iterated. */
function undiciCell(byEvents: boolean) {
  return {
    async start(): Promise<UndiciShared> {
      return { ...(await upstream()), agent: new Agent({ connections: 1, pipelining: 1 }) };
    },
    async stop({ server, agent }: UndiciShared) {
      await agent.close();
      await closeUpstream(server);
    },
    async request({ url, agent }: UndiciShared, probe: Probe) {
      const { body } = await request(url, { dispatcher: agent });
      probe.read();
      if (!byEvents) {
        for await (const _chunk of body) probe.read();
        return;
      }
      await new Promise<void>((resolve, reject) => {
        body.on('data', () => probe.read());
        body.on('end', () => {
          probe.read();
          resolve();
        });
        body.on('error', reject);
      });
    },
  };
}

/** node:http's client with a keep-alive agent of one socket, made at start-up (nodejs/node#34400). */
function agentCell() {
  return {
    async start() {
      return { ...(await upstream()), agent: new HttpAgent({ keepAlive: true, maxSockets: 1 }) };
    },
    async stop({ server, agent }: { server: Server; agent: HttpAgent }) {
      agent.destroy();
      await closeUpstream(server);
    },
    async request({ url, agent }: { url: string; agent: HttpAgent }, probe: Probe) {
      await new Promise<void>((resolve, reject) => {
        const onResponse = (res: IncomingMessage) => {
          probe.read();
          res.on('data', () => probe.read());
          res.on('end', () => {
            probe.read();
            resolve();
          });
        };
        httpGet(url, { agent }, onResponse).on('error', reject);
      });
    },
  };
}

export const rows = [
  ...libraryRows('undici', 'undici', [
    {
      key: 'request-events',
      mode: "request() on an Agent of one connection, body read by 'data' events",
      asIs: undiciCell(true),
    },
    {
      key: 'request-iterate',
      mode: 'request() on an Agent of one connection, body iterated with for await',
      asIs: undiciCell(false),
    },
  ]),
  ...libraryRows('fetch', undefined, [
    {
      key: 'keep-alive',
      mode: "global fetch, keep-alive (Node's undici), body read with text()",
      asIs: {
        start: upstream,
        stop: ({ server }: { server: Server }) => closeUpstream(server),
        async request({ url }: { url: string }, probe: Probe) {
          const response = await fetch(url);
          probe.read();
          await response.text();
          probe.read();
        },
      },
    },
  ]),
  ...libraryRows('node:http client', undefined, [
    {
      key: 'keep-alive-agent',
      mode: "http.get with a keep-alive Agent of one socket, the response's events",
      asIs: agentCell(),
    },
  ]),
];
