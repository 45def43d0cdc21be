import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { listen } from '../../support/listen.js';
import { takeCalls } from '../../support/take-calls.js';

/** A Hono app served one web-standard way, and a client of it. */
export interface WebServed {
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** A way to serve a Hono app where the request reaches it as a web-standard `Request` (no Node objects in `c.env`). */
export interface WebServer {
  readonly name: string;
  /** Whether a client that leaves is seen by the app: the request's `signal` aborts. */
  readonly seesHangUps: boolean;
  start(app: Hono): Promise<WebServed>;
}

interface BunServer {
  readonly port: number;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
}
interface DenoServer {
  readonly addr: { readonly port: number };
  shutdown(): Promise<void>;
}
const { Bun, Deno } = globalThis as unknown as {
  Bun?: { serve(options: { port: number; hostname: string; fetch: Hono['fetch'] }): BunServer };
  Deno?: {
    serve(options: { port: number; hostname: string; onListen(): void }, handler: Hono['fetch']): DenoServer;
  };
};

const overSockets = (base: string) => (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);

/** Hono's own test client: no server, the caller is the client (its `signal` is the request's). */
const appRequest: WebServer = {
  name: 'app.request()',
  seesHangUps: true,
  start: async (app) => ({ fetch: (path, init) => Promise.resolve(app.request(path, init)), close: async () => {} }),
};

/** @hono/node-server handing over only the Request, as `serve({ fetch: (req) => app.fetch(req) })` does. */
const nodeServerRequestOnly: WebServer = {
  name: '@hono/node-server without Node objects',
  seesHangUps: true,
  async start(app) {
    // Not its own global Response: the runtime's own servers (Bun.serve, Deno.serve) accept only theirs.
    const listener = getRequestListener((request) => app.fetch(request), { overrideGlobalObjects: false });
    const server = await listen(listener);
    return { fetch: overSockets(server.url), close: () => server.close() };
  },
};

const bunServe: WebServer = {
  name: 'Bun.serve',
  seesHangUps: true,
  async start(app) {
    const server = (Bun as NonNullable<typeof Bun>).serve({ port: 0, hostname: '127.0.0.1', fetch: app.fetch });
    return { fetch: overSockets(`http://127.0.0.1:${server.port}`), close: async () => server.stop(true) };
  },
};

const denoServe: WebServer = {
  name: 'Deno.serve',
  seesHangUps: true,
  async start(app) {
    const server = (Deno as NonNullable<typeof Deno>).serve(
      { port: 0, hostname: '127.0.0.1', onListen: () => undefined },
      app.fetch,
    );
    return { fetch: overSockets(`http://127.0.0.1:${server.addr.port}`), close: () => server.shutdown() };
  },
};

/** Every web-standard server of the runtime the tests run on: Hono's test client everywhere, and the runtime's own. */
export const webServers: readonly WebServer[] = [
  appRequest,
  nodeServerRequestOnly,
  ...(Bun === undefined ? [] : [bunServe]),
  ...(Deno === undefined ? [] : [denoServe]),
];

/**
 * For a test whose client leaves on purpose: @hono/node-server logs each response it could not
 * finish writing to a gone client (`console.error('Error: aborted')`), a line that is expected
 * here and noise in the suite's output. Those are taken; anything else the test logs still prints.
 * Restored when the test finishes.
 */
export function takeHangUpLogs(): void {
  // The reason it logs is the request's abort reason: the string `Error: aborted`, or that Error.
  takeCalls(console, 'error', (...args: unknown[]) => args.length === 1 && String(args[0]) === 'Error: aborted');
}
