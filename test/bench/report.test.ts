import { describe, expect, test } from 'vitest';
import { checkTargets, ratioToBestSafe, renderTable } from '../../bench/report.js';
import type { BenchResult, BenchRow } from '../../bench/run.js';
import { DEFAULT_SETTINGS } from '../../bench/settings.js';
import type { Strategy } from '../../bench/strategies.js';
import { summaryOf } from './support/summary.js';

function row(
  strategy: Strategy,
  delayMs: number,
  connections: number,
  requestsPerSecond: number,
  leaked = 0,
): BenchRow {
  return {
    strategy,
    delayMs,
    connections,
    summary: summaryOf(requestsPerSecond, leaked),
    serverCpuMicrosPerRequest: 50,
    rounds: [],
  };
}

const rows = [
  row('global', 10, 10, 1000, 600),
  row('global-lock', 10, 10, 95),
  row('current', 10, 10, 950),
  row('als', 10, 10, 960),
  row('current', 0, 10, 9800),
  row('als', 0, 10, 10_000),
  row('current', 0, 100, 9000),
  row('als', 0, 100, 10_000),
];

const result: BenchResult = {
  machine: {
    serverNode: 'v20.0.0',
    driverNode: 'v20.0.0',
    platform: 'test',
    cpuModel: 'test cpu',
    cpuCount: 2,
    memoryGiB: 1,
    loadAverage: [0],
  },
  settings: DEFAULT_SETTINGS,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:01:00.000Z',
  rows,
  memory: {
    strategy: 'current',
    requests: 100_000,
    heapBeforeBytes: 10 * 2 ** 20,
    heapAfterBytes: 10.2 * 2 ** 20,
    changePercent: 2,
    leaked: 0,
  },
};

describe('the benchmark report', () => {
  test('compares each row with the fastest strategy that leaked nothing at the same setting', () => {
    expect(ratioToBestSafe(rows[0] as BenchRow, rows)).toBeCloseTo(1000 / 960);
    expect(ratioToBestSafe(rows[1] as BenchRow, rows)).toBeCloseTo(95 / 960);
  });

  test('renders one line per row with leaks, availability and the ratio', () => {
    expect(renderTable(rows.slice(0, 2)).split('\n')).toEqual([
      '| strategy    | IO    | conns | req/s | p50 ms | p99 ms | CPU µs/req |      leaked | leak % | avail % | errors | vs best safe |',
      '|:------------|:------|------:|------:|-------:|-------:|-----------:|------------:|-------:|--------:|-------:|-------------:|',
      '| global      | 10 ms |    10 | 1,000 |    1.0 |    3.0 |         50 | 600 / 1,000 |   60.0 |   100.0 |      0 |       10.53x |',
      '| global-lock | 10 ms |    10 |    95 |    1.0 |    3.0 |         50 |   0 / 1,000 |    0.0 |   100.0 |      0 |        1.00x |',
    ]);
  });

  test('judges every target, and says which it could not measure', () => {
    const checks = checkTargets(result);
    expect(checks.map(({ met }) => met)).toEqual([true, false, true, true, true, true, true, true]);
    expect(checks[1]).toEqual({
      target: 'current >= 0.97x als at 0 ms IO, 100 connections',
      measured: '0.900x req/s (server CPU per request: 1.00x of als)',
      met: false,
    });
    expect(checkTargets({ ...result, rows: [], memory: undefined }).every(({ met }) => met === undefined)).toBe(true);
  });
});
