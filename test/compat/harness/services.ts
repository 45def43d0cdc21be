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

/** The servers of one run, started together, each once for every runtime mode. */
export interface StartedServices {
  readonly urls: Record<Service, string>;
  stop(): Promise<void>;
}

/**
 * Starts every server in `needed` at once. A server that is not installed
 * is an error that says which Debian package to install: the matrix never
 * skips a row silently.
 */
export async function startServices(needed: ReadonlySet<Service>): Promise<StartedServices> {
  const missing = [...needed].filter((service) => !starters[service].installed());
  if (missing.length > 0) {
    throw new Error(
      `The matrix needs ${missing.join(', ')}: apt-get install -y ${missing.map((name) => starters[name].apt).join(' ')}`,
    );
  }
  const urls: Record<Service, string> = { postgres: '', redis: '', mariadb: '', rabbitmq: '' };
  const running: RunningServer[] = [];
  const started = await Promise.allSettled(
    [...needed].map(async (service) => {
      const server = await starters[service].start();
      running.push(server);
      urls[service] = server.url;
    }),
  );
  const stop = async () => void (await Promise.all(running.map((server) => server.stop())));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await stop();
    throw failed.reason;
  }
  return { urls, stop };
}
