import { combineSamples, type Sample } from '../../../bench/aggregate.js';
import type { CostRun } from '../../../bench/cost.js';
import type { Framework, Strategy } from '../../../bench/frameworks.js';
import type { BenchRow } from '../../../bench/load.js';
import type { MemoryCheck } from '../../../bench/memory.js';
import type { BenchResult } from '../../../bench/run.js';
import { DEFAULT_SETTINGS } from '../../../bench/settings.js';
import { summaryOf } from './summary.js';

/** A measured row whose rounds served `ratesPerRound` req/s, with `leaked` of the 1,000 answers of each round leaked. */
export function row(
  framework: Framework,
  strategy: Strategy,
  delayMs: number,
  connections: number,
  ratesPerRound: readonly number[],
  leaked = 0,
  p99 = 3,
): BenchRow {
  const rounds: Sample[] = ratesPerRound.map((rate) => ({
    summary: summaryOf(rate, leaked, p99 - 2),
    serverCpuMicrosPerRequest: 50,
  }));
  return { framework, strategy, delayMs, connections, rounds, ...combineSamples(rounds) };
}

/** The heap check of a framework's current server, grown by `changePercent`. */
export function memoryOf(framework: Framework, changePercent = 1): MemoryCheck {
  return {
    framework,
    strategy: 'current',
    requests: 100_000,
    heapBeforeBytes: 10 * 2 ** 20,
    heapAfterBytes: 10 * 2 ** 20 * (1 + changePercent / 100),
    changePercent,
    leaked: 0,
  };
}

/** A finished run of `rows` on `frameworks`, on a made-up machine. */
export function resultOf(
  rows: readonly BenchRow[],
  {
    frameworks = ['express'],
    memory = [],
    cost,
  }: { frameworks?: Framework[]; memory?: MemoryCheck[]; cost?: CostRun } = {},
): BenchResult {
  return {
    machine: {
      serverNode: 'v20.0.0',
      driverNode: 'v20.0.0',
      platform: 'test',
      cpuModel: 'test cpu',
      cpuCount: 2,
      memoryGiB: 1,
      loadAverage: [1.5, 1.2, 1],
      packages: { express: '5.3.0', 'express-http-context': '2.0.1' },
    },
    settings: { ...DEFAULT_SETTINGS, frameworks },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:06:00.000Z',
    loadAverageAtEnd: [2.5, 1.8, 1.1],
    rows,
    memory,
    ...(cost ? { cost } : {}),
  };
}
