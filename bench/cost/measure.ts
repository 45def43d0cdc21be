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
  /** Per warm request, the median of the rounds: the difference between a short and a long run, divided by the extra requests. */
  readonly perRequest: number;
  /** The figure of each round, in the order the rounds ran; rounds of different apps interleave. */
  readonly rounds: readonly number[];
}

/** How the figures of a `measureCost` call were counted: what a reader needs to compare two of them. */
export interface CostHarness {
  readonly unit: CostUnit;
  readonly requests: readonly [number, number];
  readonly connections: number;
  readonly rounds: number;
  readonly predictable: boolean;
}

/** The requests of `npm run bench:cost`'s short and long run: past most of V8's compiling. */
export const COST_REQUESTS: readonly [number, number] = [2000, 12000];

export interface CostOptions {
  /** Requests of the short run and of the long run. Default `COST_REQUESTS`: 2000 and 12000. */
  readonly requests?: readonly [number, number];
  /** Keep-alive connections the requests are sent over. Default 10, as a loaded server sees them. */
  readonly connections?: number;
  /** Interleaved rounds: each app once per round, the median kept. Default 1. */
  readonly rounds?: number;
  /**
   * Runs the servers with `node --predictable`: V8 compiles and collects on
   * the main thread. Default off: that is not what users run, and it moves
   * the ratios it was meant to steady (docs/benchmarks.md).
   */
  readonly predictable?: boolean;
  /** `instructions` when valgrind is installed, else `cpu-microseconds`. */
  readonly unit?: CostUnit;
  /** The node binary that runs the servers. Default: this one. */
  readonly nodePath?: string;
  /** Node flags for the servers, such as `--no-async-context-frame`. */
  readonly nodeFlags?: readonly string[];
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

/** The default harness of `measureCost` and `npm run bench:cost`. */
export const DEFAULT_COST_HARNESS = {
  requests: COST_REQUESTS,
  connections: 10,
  rounds: 1,
  predictable: false,
} as const satisfies Omit<CostHarness, 'unit'>;

/**
 * How `options` count: the harness to print beside the figures.
 *
 * @example
 * ```ts
 * costHarness({ rounds: 3 }); // { unit: 'instructions', requests: [2000, 12000], connections: 10, rounds: 3, predictable: false }
 * ```
 */
export function costHarness(options: CostOptions = {}): CostHarness {
  return {
    unit: options.unit ?? (valgrindInstalled() ? 'instructions' : 'cpu-microseconds'),
    requests: options.requests ?? DEFAULT_COST_HARNESS.requests,
    connections: options.connections ?? DEFAULT_COST_HARNESS.connections,
    rounds: options.rounds ?? DEFAULT_COST_HARNESS.rounds,
    predictable: options.predictable ?? DEFAULT_COST_HARNESS.predictable,
  };
}

/**
 * Measures the cost of one warm request of each app: each app's server runs
 * twice, for a short and a long run, and the difference divided by the extra
 * requests cancels start-up, JIT warm-up and shutdown. Under valgrind the
 * figure is instructions, which a busy machine barely moves, where req/s moves
 * by 10% or more; without it, the server's CPU time.
 *
 * Over 10 keep-alive connections by default, as a server under load sees
 * them: several requests are parsed, handled and answered in one turn of the
 * event loop, and the costs that depend on that (V8's inline caches, the
 * garbage collector) are counted as users pay them. One count of one app
 * moves by a few percent from run to run (V8's background compiler and
 * collector threads run when the OS lets them), so `rounds` interleaves the
 * apps (a, b, a, b, ...) and keeps each app's median; compare two apps by the
 * median of their per-round ratios (`medianRatio`).
 */
export async function measureCost<App extends string = CostApp>(
  apps: readonly App[],
  options: CostOptions = {},
): Promise<CostFigure<App>[]> {
  const { unit, requests, connections, rounds, predictable } = costHarness(options);
  const { nodePath = process.execPath, nodeFlags = [], serverScript = SERVER } = options;
  const node = [nodePath, ...(predictable ? ['--predictable'] : []), ...nodeFlags];
  const [short, long] = requests;
  const counts = new Map<App, number[]>(apps.map((app) => [app, []]));
  for (let round = 1; round <= rounds; round += 1) {
    for (const app of apps) {
      const of = rounds > 1 ? `, round ${round} of ${rounds}` : '';
      options.onStep?.(`${app}: ${short} then ${long} requests over ${connections} connections (${unit}${of})`);
      // Instructions do not depend on the machine's load, so the two runs can share the cores.
      const runs = [short, long].map((count) => totalCost(app, count, connections, unit, node, serverScript));
      const [a, b] = unit === 'instructions' ? await Promise.all(runs) : [await runs[0], await runs[1]];
      counts.get(app)?.push(((b as number) - (a as number)) / (long - short));
    }
  }
  return apps.map((app) => {
    const figures = counts.get(app) as number[];
    return { app, unit, perRequest: median(figures), rounds: figures };
  });
}

/**
 * How `figure` compares with `base`: the median of their per-round ratios,
 * each round's two counts taken back to back, and the lowest and highest of them.
 *
 * @example
 * ```ts
 * medianRatio(current, als); // { ratio: 1.012, low: 1.004, high: 1.019 }
 * ```
 */
export function medianRatio(
  figure: CostFigure<string>,
  base: CostFigure<string>,
): { ratio: number; low: number; high: number } {
  const paired = figure.rounds.length === base.rounds.length && figure.rounds.length > 0;
  const ratios = paired
    ? figure.rounds.map((count, index) => count / (base.rounds[index] as number))
    : [figure.perRequest / base.perRequest];
  return { ratio: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Runs `app`'s server for `count` requests and returns its total instructions or CPU microseconds. */
async function totalCost(
  app: string,
  count: number,
  connections: number,
  unit: CostUnit,
  node: readonly string[],
  serverScript: string,
): Promise<number> {
  const port = await freePort();
  const work = await mkdtemp(path.join(tmpdir(), 'bench-cost-'));
  const out = path.join(work, 'callgrind.out');
  const server = [...node, serverScript, app, String(port)];
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
