import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CostApp } from './apps.js';
import { drive } from './drive.js';

/** What a cost figure counts: instructions (valgrind's callgrind) or server CPU time. */
export type CostUnit = 'instructions' | 'cpu-microseconds';

/** The cost of one warm request of one app. */
export interface CostFigure<App extends string = CostApp> {
  readonly app: App;
  readonly unit: CostUnit;
  /** Per warm request: the difference between a short and a long run, divided by the extra requests. */
  readonly perRequest: number;
}

/** The requests of `npm run bench:cost`'s short and long run: past most of V8's compiling. */
export const COST_REQUESTS: readonly [number, number] = [2000, 8000];

export interface CostOptions {
  /** Requests of the short run and of the long run. Default `COST_REQUESTS`: 2000 and 8000. */
  readonly requests?: readonly [number, number];
  /** Keep-alive connections the requests are sent over. Default 1: see `measureCost`. */
  readonly connections?: number;
  /** `instructions` when valgrind is installed, else `cpu-microseconds`. */
  readonly unit?: CostUnit;
  /** The node binary that runs the servers. Default: this one. */
  readonly nodePath?: string;
  /**
   * The script that serves an app, run as `node <script> <app> <port>`: it
   * prints `listening` once ready and `cpu <µs>` on SIGTERM, and answers
   * `GET /`. Default: the server of the cost apps (`COST_APPS`).
   */
  readonly serverScript?: string;
  readonly onStep?: (label: string) => void;
}

const SERVER = fileURLToPath(new URL('server.js', import.meta.url));

/** Whether valgrind can count instructions here. */
export function valgrindInstalled(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Measures the cost of one warm request of each app: each app's server runs
 * twice, for a short and a long run, and the difference divided by the extra
 * requests cancels start-up, JIT warm-up and shutdown. Under valgrind the
 * figure is instructions, repeatable to about 1% on a busy machine, where
 * req/s moves by 10% or more; without it, the server's CPU time.
 *
 * One connection by default: with several, how many requests the server
 * finds ready in one turn of its event loop depends on how fast the driver
 * runs beside it, and the per-turn work spread over them moved the count by
 * 3% between runs of the same app on a busy machine.
 */
export async function measureCost<App extends string = CostApp>(
  apps: readonly App[],
  options: CostOptions = {},
): Promise<CostFigure<App>[]> {
  const { requests = COST_REQUESTS, connections = 1 } = options;
  const { unit = valgrindInstalled() ? 'instructions' : 'cpu-microseconds' } = options;
  const { nodePath = process.execPath, serverScript = SERVER } = options;
  const [short, long] = requests;
  const figures: CostFigure<App>[] = [];
  for (const app of apps) {
    options.onStep?.(`${app}: ${short} then ${long} requests (${unit})`);
    // Instructions do not depend on the machine's load, so the two runs can share the cores.
    const runs = [short, long].map((count) => totalCost(app, count, connections, unit, nodePath, serverScript));
    const [a, b] = unit === 'instructions' ? await Promise.all(runs) : [await runs[0], await runs[1]];
    figures.push({ app, unit, perRequest: ((b as number) - (a as number)) / (long - short) });
  }
  return figures;
}

/** Runs `app`'s server for `count` requests and returns its total instructions or CPU microseconds. */
async function totalCost(
  app: string,
  count: number,
  connections: number,
  unit: CostUnit,
  nodePath: string,
  serverScript: string,
): Promise<number> {
  const port = await freePort();
  const work = await mkdtemp(path.join(tmpdir(), 'bench-cost-'));
  const out = path.join(work, 'callgrind.out');
  // --predictable: V8's compiler and GC threads otherwise run when the OS lets
  // them, and callgrind counts their instructions too; with it they run on the
  // main thread in an order that repeats. Two counts of one app still differ
  // by up to about 3% (docs/benchmarks.md), which the targets allow for.
  const server = [nodePath, '--predictable', serverScript, app, String(port)];
  const [command, ...args] =
    unit === 'instructions' ? ['valgrind', '--tool=callgrind', `--callgrind-out-file=${out}`, ...server] : server;
  const child = spawn(command as string, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk;
        if (output.includes('listening')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`The ${app} server exited with ${code} before listening.`)));
    });
    await drive(port, count, connections);
    const exited = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    await exited;
    if (unit === 'cpu-microseconds') return Number(/cpu (\d+)/.exec(output)?.[1]);
    const totals = /^(?:summary|totals): (\d+)/m.exec(await readFile(out, 'utf8'));
    if (totals === null) throw new Error(`callgrind wrote no totals for ${app}.`);
    return Number(totals[1]);
  } finally {
    child.kill('SIGKILL');
    await rm(work, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
