import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { type Framework, PACKAGES } from './frameworks.js';

/** The machine a run measured, recorded with its numbers. */
export interface Machine {
  readonly serverNode: string;
  readonly driverNode: string;
  readonly platform: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly memoryGiB: number;
  /** The load average (1, 5, 15 minutes) when the run started: other work on the machine. */
  readonly loadAverage: readonly number[];
  /** The version of each framework and peer package the run served with. */
  readonly packages: Readonly<Record<string, string>>;
}

/**
 * The machine, its load, and the versions of `frameworks`' packages, recorded with a run's numbers.
 *
 * @example
 * ```ts
 * describeMachine(process.execPath, ['fastify']).packages; // { fastify: '5.12.8', '@fastify/request-context': '7.0.0' }
 * ```
 */
export function describeMachine(nodePath: string, frameworks: readonly Framework[]): Machine {
  const cpus = os.cpus();
  const names = frameworks.flatMap((framework) => PACKAGES[framework]);
  return {
    serverNode: serverVersion(nodePath),
    driverNode: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
    packages: Object.fromEntries(names.map((name) => [name, versionOf(name)])),
  };
}

const require = createRequire(import.meta.url);

/** The installed version of `name`; read from its package.json, found above its entry point, since some packages (hono) do not export it. */
function versionOf(name: string): string {
  try {
    let dir = path.dirname(require.resolve(name));
    while (dir !== path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (existsSync(file)) {
        const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (manifest.name === name) return manifest.version ?? 'unknown';
      }
      dir = path.dirname(dir);
    }
  } catch {
    // Not installed: the run fails later with the server's own message.
  }
  return 'unknown';
}

/** `v24.1.0` for Node, `bun 1.4.5`, `deno 2.9.6`: the first line of `--version`, named where it names nothing. */
function serverVersion(binary: string): string {
  const line = (execFileSync(binary, ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? '').trim();
  return /^(v\d|[a-z])/.test(line) ? line : `${path.basename(binary)} ${line}`;
}
