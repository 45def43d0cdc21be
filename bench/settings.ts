import { type Framework, STRATEGIES, type Strategy } from './frameworks.js';

/** The runtimes the benchmark's servers run on. */
export const SERVER_RUNTIMES = ['node', 'bun', 'deno'] as const;
export type ServerRuntime = (typeof SERVER_RUNTIMES)[number];

/** What one benchmark run measures. */
export interface BenchSettings {
  /** Frameworks to serve with, one after the other; each runs every strategy it can. */
  readonly frameworks: readonly Framework[];
  readonly strategies: readonly Strategy[];
  readonly delaysMs: readonly number[];
  readonly connections: readonly number[];
  /** Seconds of measured load per strategy, setting and round. */
  readonly durationSeconds: number;
  /**
   * Measurements of each strategy at each setting, interleaved with the other
   * strategies'; the table shows the median, so a disturbed round counts less,
   * and the targets are judged on the spread of the rounds.
   */
  readonly rounds: number;
  /** Seconds of unmeasured load before each measurement. */
  readonly warmupSeconds: number;
  /** Requests of the memory run of each framework's `current` server (0 skips it). */
  readonly memoryRequests: number;
  /** Strategies whose cost per warm request is counted after the load (instructions, or CPU time without valgrind). */
  readonly costStrategies: readonly Strategy[];
  /** The window of a cost figure: what the server spent from the first number's answer to the second's. */
  readonly costRequests: readonly [number, number];
  /** What runs the servers: Node, or Bun or Deno (Hono only, on `Bun.serve`/`Deno.serve`). */
  readonly runtime: ServerRuntime;
  /** The binary that runs the servers: a Node binary, or the runtime's (installed by `npm run bench`). */
  readonly nodePath: string;
  /** Where the JSON and the charts are written. */
  readonly outDir: string;
  /** Also write the chart to docs/benchmark.svg and the run's section of docs/benchmarks.md. */
  readonly publish: boolean;
}

export const DEFAULT_SETTINGS: BenchSettings = {
  frameworks: ['express'],
  strategies: STRATEGIES,
  delaysMs: [0, 10],
  connections: [1, 10, 100],
  durationSeconds: 0.8,
  rounds: 5,
  warmupSeconds: 0.5,
  memoryRequests: 100_000,
  costStrategies: ['current', 'als'],
  costRequests: [1000, 4000],
  runtime: 'node',
  nodePath: process.execPath,
  outDir: 'bench/results',
  publish: false,
};
