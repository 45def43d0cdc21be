import { request as httpRequest, type Server } from 'node:http';
import { withCurrent } from 'current-attributes/http';
import type { Cell, Hooks, Transport } from './cell.js';
import { Current } from './current.js';

/** The request number a URL carries (`/?id=3`), as the adapter's setup reads it. */
export function requestIdOf(url: string | undefined): number {
  const id = Number(new URL(url ?? '/', 'http://x').searchParams.get('id'));
  if (!Number.isInteger(id)) throw new Error(`No request id in ${url}`);
  return id;
}

/** The adapter's setup: each request's scope starts holding its own number. */
export const setRequestId = (req: { url?: string | undefined }) => {
  Current.requestId = requestIdOf(req.url);
};

/** GETs `path` with its own connection (the harness's client shares nothing) and fails on a non-200 answer. */
export function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${res.statusCode}: ${body}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Plain HTTP through the node:http adapter: each request waits at the
 * barrier, runs the cell's `request`, and answers once done (the opener of
 * the "still running" case later).
 */
export function httpTransport<S>(cell: Cell<S>): Transport<S> {
  const { request } = cell;
  if (request === undefined) throw new Error('A cell without a transport of its own needs `request`.');
  return {
    attach(shared: S, server: Server, hooks: Hooks) {
      server.on(
        'request',
        withCurrent(
          async (_req, res) => {
            const id = Current.requestId as number;
            try {
              await hooks.together(id);
              await request(shared, hooks.probe(id));
              await hooks.done(id);
              res.end('done');
            } catch (error) {
              res.statusCode = 500;
              res.end(error instanceof Error ? (error.stack ?? error.message) : String(error));
            }
          },
          { setup: setRequestId },
        ),
      );
    },
    send: (_shared, url, id) => get(`${url}/?id=${id}`).then(() => undefined),
  };
}
