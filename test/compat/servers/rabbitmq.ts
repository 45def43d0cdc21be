import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../../examples/support/redis-server.js';
import type { RunningServer } from './mariadb.js';
import { readyWhenPrinted, stopChild } from './process.js';

/** Debian's start script, without the wrapper in /usr/sbin that switches to the rabbitmq user and its fixed node name. */
const script = '/usr/lib/rabbitmq/bin/rabbitmq-server';

/** Whether RabbitMQ is installed (Debian's rabbitmq-server). */
export function rabbitmqInstalled(): boolean {
  return existsSync(script);
}

/**
 * Starts a throwaway RabbitMQ node: its own node name, free AMQP and
 * distribution ports on 127.0.0.1, and every file (database, logs, cookie,
 * plugin list) in a temporary directory, so it never meets the system's
 * node nor another run's. Host names resolve from /etc/hosts only: Erlang
 * would otherwise wait for a DNS server this machine cannot reach. It takes
 * 10 to 120 s to boot on a busy machine; rows that need it run last.
 */
export async function startRabbitmq(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'current-attributes-rabbitmq-'));
  const [port, distPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  writeFileSync(join(dir, 'inetrc'), '{lookup, [file]}.\n{hosts_file, "/etc/hosts"}.\n');
  const child = spawn(script, [], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      ERL_INETRC: join(dir, 'inetrc'),
      RABBITMQ_NODENAME: `compat-${process.pid}-${port}@localhost`,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_LOGS: '-',
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_CONF_ENV_FILE: '/dev/null',
      RABBITMQ_CONFIG_FILE: join(dir, 'none'),
      RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
    },
  });
  try {
    await readyWhenPrinted(child, 'Server startup complete', 'rabbitmq-server', 300_000);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
