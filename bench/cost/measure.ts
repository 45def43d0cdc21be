import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CostApp } from './apps.js';
import { type CostUnit, pinnedYoungGeneration, type WindowCost, windowCost } from './window.js';

export type { CostUnit } from './window.js';

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
