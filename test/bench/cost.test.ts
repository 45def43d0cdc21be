import { describe, expect, test } from 'vitest';
import type { CostApp } from '../../bench/cost/apps.js';
import { parseCostArgs } from '../../bench/cost/args.js';
import { cpuLine, readCpuLines } from '../../bench/cost/cpu-time.js';
import { type CostFigure, costHarness, medianRatio } from '../../bench/cost/measure.js';
import { describeRuntime, resolveRuntime, runsOnAsyncContextFrame } from '../../bench/cost/nodes.js';
import { checkCostTargets, describeHarness, renderCostTable, renderRuntimeSummary } from '../../bench/cost/report.js';

const middle = (rounds: number[]) => [...rounds].sort((a, b) => a - b)[Math.floor(rounds.length / 2)] as number;

/** A figure counted on the event loop in `rounds`, and on all threads in `allRounds` (default: 10% more). */
const figure = (
  app: CostApp,
  rounds: number[],
  allRounds = rounds.map((count) => Math.round(count * 1.1)),
): CostFigure => ({
  app,
  unit: 'instructions',
  perRequest: middle(rounds),
  rounds,
  allThreads: { perRequest: middle(allRounds), rounds: allRounds },
});

describe('npm run bench:cost', () => {
  test('compares two apps by the median of their interleaved rounds’ ratios, not by their medians', () => {
    // Round 2 of both ran on a slower V8 path: the pair moves together, and only the ratio cancels it.
    const current = figure('current', [101_000, 150_000, 99_000]);
    const als = figure('als', [100_000, 140_000, 100_000]);
    const { ratio, low, high } = medianRatio(current, als);
    expect([ratio, low, high].map((value) => value.toFixed(3))).toEqual(['1.010', '0.990', '1.071']);
    expect((current.perRequest / als.perRequest).toFixed(3)).toBe('1.010');
  });

  test('judges a target over three rounds on that median, and prints the rounds’ spread beside it', () => {
    expect(
      checkCostTargets([
        figure('als', [100_000, 100_000, 100_000]),
        figure('current', [101_000, 103_500, 101_900]),
        figure('async-mutex', [100_000, 100_000, 100_000]),
        figure('global-lock', [99_000, 101_000, 100_000]),
      ]),
    ).toEqual([
      '- current within 2% of als: 1.019x on the event loop (median of 3 rounds, 1.010x to 1.035x), met; 1.019x on all threads, 1.010x to 1.035x',
      '- global-lock within 5% of async-mutex: 1.000x on the event loop (median of 3 rounds, 0.990x to 1.010x), met; 1.000x on all threads, 0.990x to 1.010x',
    ]);
    expect(checkCostTargets([figure('als', [100_000]), figure('current', [102_500])])).toEqual([
      '- current within 2% of als: 1.025x on the event loop, no verdict; 1.025x on all threads',
    ]);
  });

  test('judges the event loop’s count, and prints the count on all threads beside it, however far apart they are', () => {
    // V8's background compiler worked through a burst in current's window and not in als's.
    const lines = checkCostTargets([
      figure('als', [100_000, 100_000, 100_000], [110_000, 110_000, 110_000]),
      figure('current', [101_000, 101_500, 101_200], [114_000, 115_000, 113_500]),
    ]);
    expect(lines).toEqual([
      '- current within 2% of als: 1.012x on the event loop (median of 3 rounds, 1.010x to 1.015x), met; 1.036x on all threads, 1.032x to 1.045x',
    ]);
  });

  test('reads the CPU time a server prints, on all its threads and on its event loop', () => {
    const [reading] = readCpuLines(`listening\n${cpuLine()}`);
    expect(reading?.allThreads).toBeGreaterThan(0);
    // The event loop is one of the process's threads: never more than all of them, bar the two clocks' rounding.
    expect(reading?.eventLoop).toBeLessThanOrEqual((reading?.allThreads ?? 0) + 10_000);
    expect(readCpuLines('cpu 900 700\ncpu 1000 750\n')).toEqual([
      { allThreads: 900, eventLoop: 700 },
      { allThreads: 1000, eventLoop: 750 },
    ]);
  });

  test('names the harness of every table: what it counts, the requests, the connections, the rounds and the runtime', () => {
    const harness = costHarness({ unit: 'instructions', rounds: 3 });
    expect(harness).toEqual({
      unit: 'instructions',
      requests: [20000, 30000],
      connections: 10,
      rounds: 3,
      predictable: false,
    });
    expect(describeHarness(harness, 'Node v24.22.3 (AsyncContextFrame)')).toBe(
      'Node v24.22.3 (AsyncContextFrame): instructions (valgrind) on the event loop, all threads beside, requests 20,000 to 30,000 over 10 keep-alive connections, median of 3 interleaved rounds',
    );
    expect(describeHarness({ ...harness, connections: 1, rounds: 1, predictable: true }, 'Node v20.20.2')).toBe(
      'Node v20.20.2: instructions (valgrind) on the event loop, all threads beside, requests 20,000 to 30,000 over 1 keep-alive connection, one round, node --predictable',
    );
  });

  test('shows each round’s spread in the table, and each Node line side by side', () => {
    const figures = [figure('als', [100_000, 100_000, 100_000]), figure('current', [101_000, 102_000, 100_000])];
    expect(renderCostTable(figures)).toContain(
      '| current              |    101.0k instructions |     1.010x |   1.000x to 1.020x |    111.1k instructions |     1.010x |   1.000x to 1.020x |',
    );
    const runtime = { path: process.execPath, version: 'v26.12.1', flags: [], asyncContextFrame: true };
    expect(renderRuntimeSummary([{ runtime, figures }])).toBe(
      [
        '| app | Node v26.12.1 (AsyncContextFrame) |',
        '|:----|----:|',
        '| als | 100.0k (1.000x; all threads 1.000x) |',
        '| current | 101.0k (1.010x; all threads 1.010x) |',
      ].join('\n'),
    );
  });

  test('compares each other adapter with raw ALS on its own framework, not with Express’s', () => {
    const figures = [
      figure('als', [100_000, 100_000, 100_000]),
      figure('current', [101_000, 101_000, 101_000]),
      figure('koa:als', [200_000, 200_000, 200_000]),
      figure('koa:current', [210_000, 210_000, 210_000]),
    ];
    expect(renderCostTable(figures)).toContain('| koa:current          |    210.0k instructions |     1.050x |');
    expect(checkCostTargets(figures)).toContain(
      '- koa:current within 2% of koa:als: 1.050x on the event loop (median of 3 rounds, 1.050x to 1.050x), MISSED; 1.050x on all threads, 1.050x to 1.050x',
    );
    const runtime = { path: process.execPath, version: 'v24.22.3', flags: [], asyncContextFrame: true };
    expect(renderRuntimeSummary([{ runtime, figures }])).toContain(
      '| koa:current | 210.0k (1.050x; all threads 1.050x) |',
    );
  });

  test('reads the Node lines to count on, with their flags, and refuses what it cannot run', () => {
    expect(parseCostArgs(['current', 'als', '--node', '24', '--node', '24 --no-async-context-frame'])).toEqual({
      apps: ['current', 'als'],
      nodes: ['24', '24 --no-async-context-frame'],
      harness: { rounds: 3, connections: 10, requests: [20000, 30000], predictable: false },
    });
    expect(() => parseCostArgs(['currant'])).toThrow('Unknown app currant; expected some of bare, als,');
    expect(() => parseCostArgs(['--requests', '12000,2000'])).toThrow('Expected --requests to be two request counts');
    expect(() => parseCostArgs(['--rounds', '0'])).toThrow(
      'Expected --rounds to be a whole number of at least 1, got 0.',
    );
    expect(() => resolveRuntime('/no/such/node')).toThrow('No Node binary at `/no/such/node`');
  });

  test('finds this Node line by its version, and says which context implementation each runs', () => {
    const line = process.version.slice(1).split('.')[0] as string;
    const runtime = resolveRuntime(line);
    expect(runtime.version.startsWith(`v${line}.`)).toBe(true);
    expect(describeRuntime({ ...runtime, version: 'v24.22.3', flags: [], asyncContextFrame: true })).toBe(
      'Node v24.22.3 (AsyncContextFrame)',
    );
    expect(runsOnAsyncContextFrame('v24.22.3', [])).toBe(true);
    expect(runsOnAsyncContextFrame('v24.22.3', ['--no-async-context-frame'])).toBe(false);
    expect(runsOnAsyncContextFrame('v22.23.5', [])).toBe(false);
    expect(runsOnAsyncContextFrame('v22.23.5', ['--experimental-async-context-frame'])).toBe(true);
    expect(runsOnAsyncContextFrame('v20.20.2', [])).toBe(false);
  });
});
