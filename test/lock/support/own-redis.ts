import { once } from 'node:events';
import { Redis } from 'ioredis';
import { type RedisServer, startRedisServer } from '../../../examples/support/redis-server.js';

/**
 * A redis-server that one test breaks on purpose: frozen with `SIGSTOP`,
 * killed with `SIGKILL`, started again on the same port. Never the server of
 * the global setup, which other test files use meanwhile. `stop()` thaws it
 * first, so a failing test leaves nothing frozen behind.
 */
export interface OwnRedis {
  readonly url: string;
  readonly port: number;
  freeze(): void;
  thaw(): void;
  /** Kills the server with `SIGKILL` and waits until it has exited. */
  kill(): Promise<void>;
  /** Starts a fresh server (empty: no persistence) on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnRedis(port?: number): Promise<OwnRedis> {
  let server: RedisServer = await startRedisServer(port);
  let frozen = false;
  const thaw = () => {
    if (frozen) process.kill(server.pid, 'SIGCONT');
    frozen = false;
  };
  return {
    get url() {
      return server.url;
    },
    get port() {
      return server.port;
    },
    freeze() {
      process.kill(server.pid, 'SIGSTOP');
      frozen = true;
    },
    thaw,
    async kill() {
      process.kill(server.pid, 'SIGKILL');
      frozen = false;
      await server.stop();
    },
    async restart() {
      server = await startRedisServer(server.port);
    },
    async stop() {
      thaw();
      await server.stop();
    },
  };
}

/**
 * An ioredis client with the library's defaults (offline queue on, 20
 * retries per request, no command timeout): the backend must stay bounded
 * whatever the client it is given. Connection errors are expected here.
 */
export function defaultClient(url: string): Redis {
  const client = new Redis(url);
  client.on('error', () => undefined);
  return client;
}

/** Resolves once `client` is connected and ready (again, after an outage). */
export async function ready(client: Redis): Promise<void> {
  if (client.status !== 'ready') await once(client, 'ready');
}
