import { describe, expect, test } from 'vitest';
import { renderChart } from '../../bench/chart/figure.js';
import type { CostRun } from '../../bench/cost.js';
import { checkTargets } from '../../bench/targets.js';
import { resultOf, row } from './support/result.js';

const five = (rate: number) => [rate, rate, rate, rate, rate];

// At 10 ms IO a global lock serves one request at a time: 60x slower than current, with a queue of 100.
const rows = [
  row('express', 'global', 10, 1, five(88)),
  row('express', 'global', 10, 100, five(6683), 990),
  row('express', 'global-lock', 10, 1, five(85)),
  row('express', 'global-lock', 10, 100, five(90), 0, 1114),
  row('express', 'current', 10, 1, five(86)),
  row('express', 'current', 10, 100, five(5374), 0, 38),
];
const svg = renderChart(resultOf(rows), checkTargets(resultOf(rows)));

/** The width of the bar whose tooltip ends with `title`. */
function barWidth(title: string): number {
  const match = new RegExp(`width="([\\d.]+)"[^>]*><title>[^<]*${title}</title>`).exec(svg);
  if (match === null) throw new Error(`No bar titled …${title}`);
  return Number(match[1]);
}

describe('the benchmark chart', () => {
  test('draws req/s on a linear scale, so a strategy 60x slower has a bar 60x shorter', () => {
    const lock = barWidth('global-lock, 10 ms IO, 100 connections: 90 req/s');
    const current = barWidth('current, 10 ms IO, 100 connections: 5,374 req/s');
    // Within half a pixel: on the old log scale it was about half as long as current's.
    expect(lock).toBeCloseTo((current * 90) / 5374, 0);
  });

  test('labels the axis with tick values and each bar with its value', () => {
    expect(svg).toContain('>2,000</text>');
    expect(svg).toContain('>5,374</text>');
  });

  test("shows p99 latency on a log scale with a tick at each power of ten, where a global lock's queue shows most", () => {
    expect(svg).toContain('p99 ms, log scale');
    for (const tick of ['1', '10', '100', '1,000']) expect(svg).toContain(`>${tick}</text>`);
    const lock = barWidth('global-lock, 10 ms IO, 100 connections: p99 1,114 ms');
    const current = barWidth('current, 10 ms IO, 100 connections: p99 38 ms');
    // log10(1114) / log10(38) on one axis
    expect(lock / current).toBeCloseTo(Math.log10(1114) / Math.log10(38), 1);
  });

  test('labels every other power of ten when a decade is too narrow for its label', () => {
    const slow = [row('express', 'current', 10, 100, five(50), 0, 60_000)];
    const chart = renderChart(resultOf(slow), checkTargets(resultOf(slow)));
    const labels = [...chart.matchAll(/fill="#888">([\d,]+)<\/text>/g)].map(([, label]) => label);
    expect(labels).toEqual(expect.arrayContaining(['1', '100', '10,000']));
    expect(labels).not.toContain('1,000');
  });

  test('puts both IO delays on one req/s scale, so the same req/s draws the same bar in each panel', () => {
    const both = [
      ...rows,
      row('express', 'current', 0, 100, five(5374)),
      row('express', 'global-lock', 0, 100, five(3000)),
    ];
    const chart = renderChart(resultOf(both), checkTargets(resultOf(both)));
    const width = (title: string) =>
      Number(new RegExp(`width="([\\d.]+)"[^>]*><title>[^<]*${title}</title>`).exec(chart)?.[1]);
    expect(width('current, 0 ms IO, 100 connections: 5,374 req/s')).toBe(
      width('current, 10 ms IO, 100 connections: 5,374 req/s'),
    );
    expect(chart).toContain('Every panel below shares one req/s scale (linear, 0 to 6,683)');
  });

  test('opens with the verdict: which strategies leaked, and current against the lock with IO', () => {
    expect(svg).toContain(
      "global leaked 50% of its answers, every other strategy none; at 10 ms IO and 100 connections current served 5,374 req/s, 60x global-lock's 90.",
    );
  });

  test('says "1 connection", never "1 connections"', () => {
    expect(svg).toContain('>1 connection</text>');
    expect(svg).not.toMatch(/\b1 (connections|conn\.)/);
  });

  test('fades and hatches the bars of answers that leaked, with the leak rate, so a fast wrong strategy does not look best', () => {
    expect(svg).toMatch(/fill="url\(#leak\)"/);
    expect(svg).toMatch(/fill="#d62728" fill-opacity="0.35"><title>global, 10 ms IO, 100 connections: 6,683 req\/s/);
    expect(svg).toContain('>99.0%</text>');
  });

  test("puts the machine's load and the targets with their verdicts on the chart", () => {
    expect(svg).toContain('Load average 1.5 at the start and 2.5 at the end');
    expect(svg).toContain('>met</text>');
    expect(svg).toContain('express: current leaks nothing, at every setting');
    expect(svg).not.toContain('not measured');
  });

  test('explains the whiskers of the fractions: every round, and when they cannot tell two contexts apart', () => {
    const zero = [
      row('express', 'bare', 0, 10, [100, 100, 100, 100, 100]),
      row('express', 'current', 0, 10, [90, 95, 97, 99, 110]),
      row('express', 'als', 0, 10, [96, 97, 98, 99, 100]),
    ];
    const chart = renderChart(resultOf(zero), checkTargets(resultOf(zero)));
    expect(chart).toContain('0.970x (0.900x to 1.100x)');
    expect(chart).toContain('Bar: the median of 5 rounds');
    expect(chart).toContain('Whisker: the lowest to the highest round.');
    expect(chart).toContain('Where two whiskers overlap, or one crosses 1, this run cannot tell the two apart');
  });

  test('says which harness counted the instructions, and that bench:cost counts later in a server’s life', () => {
    const cost: CostRun = {
      unit: 'instructions',
      requests: [1000, 4000],
      connections: 10,
      figures: [
        { framework: 'express', strategy: 'current', unit: 'instructions', perRequest: 862_000 },
        { framework: 'express', strategy: 'als', unit: 'instructions', perRequest: 845_000 },
      ],
    };
    const chart = renderChart(resultOf(rows, { cost }), checkTargets(resultOf(rows, { cost })));
    expect(chart).toContain('Instructions per warm request on the event loop, counted by valgrind (npm run bench)');
    expect(chart).toContain(
      "This run's own servers at 0 ms IO, the 1,000th to the 4,000th request, over 10 keep-alive connections",
    );
    expect(chart).toContain('npm run bench:cost counts its own Express apps from the 20,000th to the 30,000th request');
    expect(chart).toContain('862.0k instructions, 1.020x of als');
  });

  test('says when the cost is CPU time because valgrind is not installed', () => {
    const cost: CostRun = {
      unit: 'cpu-microseconds',
      requests: [1000, 4000],
      connections: 10,
      figures: [{ framework: 'express', strategy: 'current', unit: 'cpu-microseconds', perRequest: 120 }],
    };
    const chart = renderChart(resultOf(rows, { cost }), checkTargets(resultOf(rows, { cost })));
    expect(chart).toContain('Server CPU time per warm request (valgrind not installed, so no instruction count)');
    expect(chart).toContain('120.0 µs CPU');
  });
});
