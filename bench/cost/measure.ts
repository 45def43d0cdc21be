import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CostApp } from './apps.js';
import { readCpuLines } from './cpu-time.js';
import { drive } from './drive.js';

/** What a cost figure counts: instructions (valgrind's callgrind) or server CPU time. */
export type CostUnit = 'instructions' | 'cpu-microseconds';

/** One count of an app's cost: per warm request, over its rounds. */
export interface CostCount {
  /** Per warm request, the median of the rounds: what the server spent in the window, divided by its requests. */
  readonly perRequest: number;
  /** The figure of each round, in the order the rounds ran; rounds of different apps interleave. */
  readonly rounds: readonly number[];
}

/**
 * The cost of one warm request of one app. The figure is the event loop's:
 * what the server's main thread spent, where every request is parsed,
 * handled and answered, and what bounds a Node server's throughput. V8's
 * background threads (its optimizing compilers, its collector's helpers) are
 * counted apart in `allThreads`: their work in a window of 10,000 requests
 * is mostly recompiling code V8 deoptimized, and where its bursts fall moves
 * that count by some 1.5k instructions per request from one app, and one
 * window, to the next (docs/benchmarks/cost.md).
 */
export interface CostFigure<App extends string = CostApp> extends CostCount {
  readonly app: App;
  readonly unit: CostUnit;
  /** The same window counted on every thread of the server's process. */
  readonly allThreads: CostCount;
}

/** How the figures of a `measureCost` call were counted: what a reader needs to compare two of them. */
export interface CostHarness {
  readonly unit: CostUnit;
  readonly requests: readonly [number, number];
  readonly connections: number;
  readonly rounds: number;
  readonly predictable: boolean;
}

/** The window of `npm run bench:cost`: from the 20,000th answer to the 30,000th, past V8's compiling on Node 20 to 26. */
export const COST_REQUESTS: readonly [number, number] = [20_000, 30_000];

export interface CostOptions {
  /** The requests whose cost is counted: from the first number's answer to the second's. Default `COST_REQUESTS`. */
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
   * prints `listening` once ready and `cpu <µs>` on SIGUSR2 and SIGTERM, and answers
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
 * costHarness({ rounds: 3 }); // { unit: 'instructions', requests: [20000, 30000], connections: 10, rounds: 3, predictable: false }
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
 * once, and what it spends from the `requests[0]`-th answer to the
 * `requests[1]`-th, divided by the requests between, is the figure. Start-up
 * and JIT warm-up come before the window and are not counted: V8 still
 * compiles in bursts up to about the 20,000th request (on Node 24 a burst
 * of some 100 optimizations between the 10,000th and the 15,000th, on Node 26
 * between the 16,000th and the 20,000th), and a window that catches one
 * counts compilation, not requests. Under valgrind the figure is
 * instructions, which a busy machine barely moves, where req/s moves by 10%
 * or more; without it, the server's CPU time.
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
  // Under valgrind a server runs some 50x slower, and V8's memory reducer,
  // which starts a major collection when the allocation rate per second of
  // wall time looks idle, fires in one app's window and not in the other's
  // (--trace-gc: one 'Mark-Compact (reduce)' per 30,000 requests under
  // valgrind, none natively at full load); the window's count then moves by
  // 10% from round to round. Off under valgrind, as a loaded server has it.
  const valgrindOnly = unit === 'instructions' ? ['--no-memory-reducer'] : [];
  const node = [nodePath, ...valgrindOnly, ...(predictable ? ['--predictable'] : []), ...nodeFlags];
  const [from, to] = requests;
  const pins = new Map<App, readonly string[]>();
  if (unit === 'instructions') {
    for (const app of apps) {
      const pin = await pinnedYoungGeneration(app, to, connections, [nodePath, ...nodeFlags], serverScript);
      options.onStep?.(`${app}: young generation held at its native size by request ${to}: ${pin.join(' ')}`);
      pins.set(app, pin);
    }
  }
  const counts = new Map<App, WindowCost[]>(apps.map((app) => [app, []]));
  const count = async (app: App, round: number): Promise<WindowCost> => {
    const of = rounds > 1 ? `, round ${round} of ${rounds}` : '';
    options.onStep?.(`${app}: requests ${from} to ${to} over ${connections} connections (${unit}${of})`);
    const [command, ...flags] = node;
    const pinned = [command as string, ...(pins.get(app) ?? []), ...flags];
    const spent = await windowCost(app, requests, connections, unit, pinned, serverScript);
    return { eventLoop: spent.eventLoop / (to - from), allThreads: spent.allThreads / (to - from) };
  };
  for (let round = 1; round <= rounds; round += 1) {
    // Instructions do not depend on the machine's load: two servers at a time share the cores.
    const atOnce = unit === 'instructions' ? 2 : 1;
    for (let first = 0; first < apps.length; first += atOnce) {
      const batch = apps.slice(first, first + atOnce);
      const figures = await Promise.all(batch.map((app) => count(app, round)));
      for (const [index, app] of batch.entries()) counts.get(app)?.push(figures[index] as WindowCost);
    }
  }
  return apps.map((app) => {
    const windows = counts.get(app) as WindowCost[];
    const eventLoop = windows.map((window) => window.eventLoop);
    const allThreads = windows.map((window) => window.allThreads);
    return {
      app,
      unit,
      perRequest: median(eventLoop),
      rounds: eventLoop,
      allThreads: { perRequest: median(allThreads), rounds: allThreads },
    };
  });
}

/** What a server spent in one window: on its event loop, and on all its threads. */
interface WindowCost {
  readonly eventLoop: number;
  readonly allThreads: number;
}

const YOUNG_GENERATION_PROBE = pathToFileURL(fileURLToPath(new URL('young-generation.js', import.meta.url))).href;

/**
 * The V8 flags that hold `app`'s young generation, under valgrind, at the
 * size it reaches natively by its `to`-th request.
 *
 * Why: V8 shrinks the young generation when its allocation rate per
 * millisecond of wall time looks low, and under valgrind every server runs
 * some 50 times slower. On Node 24 and 26 the young generation then stays at
 * half its native size or less and fluctuates: `--trace-gc` counted 181 to
 * 197 scavenges per 30,000 requests under valgrind against 58 to 64
 * natively, and that fluctuation moved one app's count by a percent or more
 * from round to round. Held at the native size, valgrind counts 55 to 58
 * (docs/benchmarks/cost.md). Nodes 20 and 22 did not shrink it; holding them
 * at their native size changes nothing there.
 */
async function pinnedYoungGeneration(
  app: string,
  to: number,
  connections: number,
  node: readonly string[],
  serverScript: string,
): Promise<readonly string[]> {
  const [command, ...flags] = node;
  const young = /^young-generation (\d+)$/m;
  const bytes = await runServer(
    app,
    [command as string, `--import=${YOUNG_GENERATION_PROBE}`, ...flags],
    serverScript,
    async (server) => {
      await drive(server.port, to, connections);
      process.kill(server.pid, 'SIGTERM');
      return server.printed(() => young.exec(server.output())?.[1]).then(Number, () => Number.NaN);
    },
  );
  if (!Number.isFinite(bytes) || bytes <= 0) {
    throw new Error(`The ${app} server, run natively, did not print its young generation's size before it exited.`);
  }
  // The new space is two semi-spaces; V8 takes their size in whole megabytes.
  const semiSpaceMb = Math.max(1, Math.round(bytes / 2 / 2 ** 20));
  return [`--min-semi-space-size=${semiSpaceMb}`, `--max-semi-space-size=${semiSpaceMb}`];
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
export function medianRatio(figure: CostCount, base: CostCount): { ratio: number; low: number; high: number } {
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

/** A server started by `runServer`, for the steps that drive it. */
interface RunningServer {
  readonly port: number;
  readonly pid: number;
  /** Everything the server printed so far. */
  output(): string;
  /** Resolves once the server printed what `found` looks for. */
  printed<T>(found: () => T | undefined): Promise<T>;
}

/**
 * Starts `app`'s server as `node <serverScript> <app> <port>` (`command`
 * may put valgrind before it), waits for `listening`, runs `steps`, and
 * kills the server whatever happened.
 */
async function runServer<T>(
  app: string,
  command: readonly string[],
  serverScript: string,
  steps: (server: RunningServer) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const [executable, ...args] = [...command, serverScript, app, String(port)];
  const child = spawn(executable as string, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  const printed = <R>(found: () => R | undefined) =>
    new Promise<R>((resolve, reject) => {
      const check = () => {
        const result = found();
        if (result === undefined) return;
        child.stdout.off('data', check);
        resolve(result);
      };
      child.stdout.on('data', check);
      // 'close', not 'exit': by then everything the server printed has been read.
      child.once('close', (code) => {
        const result = found();
        if (result !== undefined) resolve(result);
        else reject(new Error(`The ${app} server exited with ${code}; it printed: ${output}`));
      });
      check();
    });
  try {
    await printed(() => (output.includes('listening') ? true : undefined));
    return await steps({ port, pid: child.pid as number, output: () => output, printed });
  } finally {
    child.kill('SIGKILL');
  }
}

/**
 * Runs `app`'s server for `to` requests in one process and returns what it
 * spent from the `from`-th answer to the `to`-th: callgrind's counters are
 * zeroed at the first and dumped at the second (`callgrind_control`), one
 * file per thread, the main thread's first; or the CPU time the server
 * prints is read at both (`SIGUSR2`, then `SIGTERM`).
 */
async function windowCost(
  app: string,
  [from, to]: readonly [number, number],
  connections: number,
  unit: CostUnit,
  node: readonly string[],
  serverScript: string,
): Promise<WindowCost> {
  const work = await mkdtemp(path.join(tmpdir(), 'bench-cost-'));
  const out = path.join(work, 'callgrind.out');
  const command =
    unit === 'instructions'
      ? ['valgrind', '--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${out}`, ...node]
      : node;
  try {
    return await runServer(app, command, serverScript, async (server) => {
      /** Sends `signal` and resolves with the CPU time the server prints for it. */
      const cpuAfter = (signal: 'SIGUSR2' | 'SIGTERM') => {
        const seen = readCpuLines(server.output()).length;
        process.kill(server.pid, signal);
        return server.printed(() => readCpuLines(server.output())[seen]);
      };
      await drive(server.port, from, connections);
      const start = await cpuAfter('SIGUSR2');
      if (unit === 'instructions') callgrind('--zero', server.pid);
      await drive(server.port, to - from, connections);
      if (unit === 'cpu-microseconds') {
        const end = await cpuAfter('SIGTERM');
        return { eventLoop: end.eventLoop - start.eventLoop, allThreads: end.allThreads - start.allThreads };
      }
      callgrind('--dump', server.pid);
      return await threadTotals(work, app);
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The instructions of callgrind's first dump in `work`, from its file per
 * thread (`callgrind.out.1-01`, `-02`, ...): thread 1 is the main thread,
 * which runs the event loop.
 */
async function threadTotals(work: string, app: string): Promise<WindowCost> {
  const files = (await readdir(work)).filter((file) => file.startsWith('callgrind.out.1-')).sort();
  let eventLoop: number | undefined;
  let allThreads = 0;
  for (const file of files) {
    const totals = /^(?:summary|totals): (\d+)/m.exec(await readFile(path.join(work, file), 'utf8'));
    if (totals === null) throw new Error(`callgrind wrote no totals for ${app} in ${file}.`);
    allThreads += Number(totals[1]);
    if (file.endsWith('-01')) eventLoop = Number(totals[1]);
  }
  if (eventLoop === undefined)
    throw new Error(`callgrind wrote no count of ${app}'s main thread; it wrote ${files.join(', ')}.`);
  return { eventLoop, allThreads };
}

/** Tells the callgrind of process `pid` to zero its counters or dump them, and waits until it did. */
function callgrind(command: '--zero' | '--dump', pid: number): void {
  execFileSync('callgrind_control', [command, String(pid)], { stdio: 'ignore' });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
