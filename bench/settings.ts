import { STRATEGIES, type Strategy } from './strategies.js';

/** What one benchmark run measures. */
export interface BenchSettings {
  readonly strategies: readonly Strategy[];
  readonly delaysMs: readonly number[];
  readonly connections: readonly number[];
  /** Seconds of measured load per strategy and setting. */
  readonly durationSeconds: number;
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
  durationSeconds: 4,
  warmupSeconds: 1,
  memoryRequests: 100_000,
  nodePath: process.execPath,
  outDir: 'bench/results',
};
