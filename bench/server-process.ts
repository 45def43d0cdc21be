import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerRuntime } from './settings.js';

/** A strategy's server, running in its own process. */
export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** The server's heap after a full garbage collection, in bytes. */
  heapUsed(): Promise<number>;
  /** The CPU time the server process has used so far, user and system, in microseconds. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

/** Thrown when a server process cannot start or dies; says which and why. */
export class ServerProcessError extends Error {
  override name = 'ServerProcessError';
}

/** Each runtime's arguments before the script: Bun has `Bun.gc` and no flag; Deno needs `run` and its permissions. */
const EXEC_ARGV: Readonly<Record<ServerRuntime, string[]>> = {
  node: ['--expose-gc'],
  bun: [],
  deno: ['run', '--allow-all', '--v8-flags=--expose-gc'],
};

// Next to this file once compiled (bench/.build), like every file of the benchmark.
const serverScript = fileURLToPath(new URL('./server.js', import.meta.url));

/**
 * Starts the server `name` (`framework:strategy`) with `nodePath`, and resolves once it listens.
 *
 * @example
 * ```ts
 * const server = await startServerProcess('fastify:current', process.execPath);
 * await loadAndVerify({ url: server.url, amount: 100, request: requestsAt(0) });
 * await server.stop();
 * ```
 */
export function startServerProcess(
  name: string,
  nodePath: string,
  runtime: ServerRuntime = 'node',
): Promise<ServerProcess> {
  const child = fork(serverScript, [name, '0'], {
    execPath: nodePath,
    execArgv: EXEC_ARGV[runtime],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) =>
      reject(
        new ServerProcessError(
          `The ${name} server (${nodePath}) exited with ${signal ?? code} before it was ready.${stderr ? `\n${stderr}` : ''}`,
        ),
      );
    child.once('error', (error) => reject(new ServerProcessError(`Could not start ${nodePath}: ${error.message}`)));
    child.once('exit', onExit);
    child.on('message', (message: { type: string; port?: number }) => {
      if (message.type !== 'ready') return;
      child.off('exit', onExit);
      resolve(handle(child, name, `http://127.0.0.1:${message.port}`, () => stderr));
    });
  });
}

function handle(child: ChildProcess, name: string, url: string, stderr: () => string): ServerProcess {
  /** Sends `type` and resolves with the `field` of the answer of the same type. */
  const ask = (type: string, field: string) =>
    new Promise<number>((resolve, reject) => {
      const onExit = () => reject(new ServerProcessError(`The ${name} server died.\n${stderr()}`));
      const onMessage = (message: Record<string, unknown>) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message[field] as number);
      };
      child.once('exit', onExit);
      child.on('message', onMessage);
      child.send({ type });
    });
  return {
    url,
    pid: child.pid ?? -1,
    heapUsed: () => ask('heap', 'heapUsed'),
    cpuMicros: () => ask('cpu', 'micros'),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
