import { renameSync, writeFileSync } from 'node:fs';
import { postgresBinDir, startPostgresServer } from '../../../examples/support/postgres-server.js';
import { redisServerInstalled, startRedisServer } from '../../../examples/support/redis-server.js';
import { mariadbInstalled, type RunningServer, startMariadb } from '../servers/mariadb.js';
import { rabbitmqInstalled, startRabbitmq } from '../servers/rabbitmq.js';
import type { Service } from './cell.js';

const starters: Record<Service, { installed(): boolean; start(): Promise<RunningServer>; apt: string }> = {
  postgres: { installed: () => postgresBinDir() !== undefined, start: () => startPostgresServer(), apt: 'postgresql' },
  redis: { installed: redisServerInstalled, start: startRedisServer, apt: 'redis-server' },
  mariadb: { installed: mariadbInstalled, start: startMariadb, apt: 'mariadb-server' },
  rabbitmq: { installed: rabbitmqInstalled, start: startRabbitmq, apt: 'rabbitmq-server' },
};

/** What the runtime processes read from the services file: the servers ready so far, or why one failed. */
export interface ServicesState {
  readonly urls: Partial<Record<Service, string>>;
  readonly failed?: string;
}

/** The servers of one run, each started once for every runtime mode. */
export interface StartedServices {
  /** Settles when every server is ready; rejects with the first that failed to start. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts every server in `needed` at once and publishes each URL to `file`
 * as soon as that server is ready, so rows that need only the fast servers
 * run while RabbitMQ still boots. A server that is not installed is an
 * error that says which Debian package to install: the matrix never skips a
 * row silently.
 */
export function startServices(needed: ReadonlySet<Service>, file: string): StartedServices {
  const missing = [...needed].filter((service) => !starters[service].installed());
  if (missing.length > 0) {
    throw new Error(
      `The matrix needs ${missing.join(', ')}: apt-get install -y ${missing.map((name) => starters[name].apt).join(' ')}`,
    );
  }
  const state: { urls: Partial<Record<Service, string>>; failed?: string } = { urls: {} };
  const publish = () => {
    writeFileSync(`${file}.next`, JSON.stringify(state));
    renameSync(`${file}.next`, file); // readers never see half a file
  };
  publish();
  const running: RunningServer[] = [];
  const ready = Promise.all(
    [...needed].map(async (service) => {
      const server = await starters[service].start();
      running.push(server);
      state.urls[service] = server.url;
      publish();
    }),
  ).then(
    () => undefined,
    (error: unknown) => {
      state.failed = error instanceof Error ? error.message : String(error);
      publish();
      throw error;
    },
  );
  // Reported by whoever awaits `ready`; this keeps an early failure from being reported unhandled meanwhile.
  ready.catch(() => undefined);
  return {
    ready,
    async stop() {
      await ready.catch(() => undefined);
      await Promise.all(running.map((server) => server.stop()));
    },
  };
}
