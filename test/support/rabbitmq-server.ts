import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';

export interface RunningRabbit {
  readonly url: string;
  stop(): Promise<void>;
}

/** Whether rabbitmq-server is installed; in CI it must be (`.ci/propagation` installs it). */
export function rabbitInstalled(): boolean {
  return existsSync(SERVER);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts a throwaway RabbitMQ node of its own (its own name, ports, data and
 * log directories under a temp dir) on 127.0.0.1, and waits until it takes
 * AMQP connections: about 10 s on an idle machine, 30 s on a busy one.
 */
export async function startRabbit(timeoutMs = 150_000): Promise<RunningRabbit> {
  const dir = mkdtempSync(join(tmpdir(), 'rabbit-'));
  const [port, distPort] = [await freePort(), await freePort()];
  writeFileSync(join(dir, 'enabled_plugins'), '[].');
  const name = `test${process.pid}x${port}@localhost`;
  const child: ChildProcess = spawn(SERVER, [], {
    cwd: dir,
    detached: true,
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      RABBITMQ_NODENAME: name,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_CONFIG_FILE: join(dir, 'none'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_PID_FILE: join(dir, 'pid'),
      ERL_EPMD_ADDRESS: '127.0.0.1',
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    // The script and the Erlang VM it starts share the detached process group.
    try {
      process.kill(-(child.pid as number), 'SIGTERM');
    } catch {}
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const started = Date.now();
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`rabbitmq-server did not accept connections on port ${port} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url: `amqp://guest:guest@127.0.0.1:${port}`, stop };
}
