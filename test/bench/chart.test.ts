import { describe, expect, test } from 'vitest';
import { renderChart } from '../../bench/chart/figure.js';
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

  test("shows p99 latency, where a global lock's queue shows most", () => {
    expect(svg).toContain('p99 latency, ms');
    expect(barWidth('global-lock, 10 ms IO, 100 connections: p99 1,114 ms')).toBeGreaterThan(
      20 * barWidth('current, 10 ms IO, 100 connections: p99 38 ms'),
    );
  });

  test('says "1 connection", never "1 connections"', () => {
    expect(svg).toContain('>1 connection</text>');
    expect(svg).not.toMatch(/\b1 (connections|conn\.)/);
  });

  test('marks the bars of answers that leaked, with the leak rate', () => {
    expect(svg).toMatch(/fill="url\(#leak\)"/);
    expect(svg).toContain('>99.0%</text>');
  });

  test("puts the machine's load and the targets with their verdicts on the chart", () => {
    expect(svg).toContain('Load average 1.5 at the start and 2.5 at the end');
    expect(svg).toContain('>met</text>');
    expect(svg).toContain('express: current leaks nothing, at every setting');
    expect(svg).not.toContain('not measured');
  });
});
