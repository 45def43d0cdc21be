import { STRATEGIES, type Strategy } from './strategies.js';

/** What one benchmark run measures. */
export interface BenchSettings {
  readonly strategies: readonly Strategy[];
  readonly delaysMs: readonly number[];
  readonly connections: readonly number[];
  /** Seconds of measured load per strategy, setting and round. */
  readonly durationSeconds: number;
  /**
   * Measurements of each strategy at each setting, interleaved with the other
   * strategies'; the table shows the median, so a disturbed round counts less.
   */
  readonly rounds: number;
  /** Seconds of unmeasured load before each measurement. */
  readonly warmupSeconds: number;
  /** Requests of the memory run (0 skips it). */
  readonly memoryRequests: number;
  /** The Node binary that runs the servers. */
  readonly nodePath: string;
  /** Where the JSON and the chart are written. */
  readonly outDir: string;
}

export const DEFAULT_SETTINGS: BenchSettings = {
  strategies: STRATEGIES,
  delaysMs: [0, 10],
  connections: [1, 10, 100],
  durationSeconds: 1.5,
  rounds: 3,
  warmupSeconds: 0.5,
  memoryRequests: 100_000,
  nodePath: process.execPath,
  outDir: 'bench/results',
};
