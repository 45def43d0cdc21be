import { formatCount, formatMs, formatPercent, plural } from '../format.js';
import { type Framework, strategyLabel } from '../frameworks.js';
import type { BenchRow } from '../load.js';
import { type Block, COLORS, line, rect, text, ticks } from './svg.js';

const ROW = 15;
const BAR = 10;
const HEADER = 44;
const LABEL = 170;
const LEAK = 58;

/** The scales every trade-off panel of a chart shares, so bars compare across panels and frameworks. */
export interface PanelScales {
  /** The largest median req/s of the run: the end of every req/s axis. */
  readonly requestsPerSecond: number;
  /** The largest p99 latency of the run, in ms: every latency axis reaches the power of ten above it. */
  readonly p99Ms: number;
}

/**
 * The scales of the rows of a whole run.
 *
 * @example
 * ```ts
 * panelScales(result.rows); // { requestsPerSecond: 11966, p99Ms: 999 }
 * ```
 */
export function panelScales(rows: readonly BenchRow[]): PanelScales {
  return {
    requestsPerSecond: Math.max(1, ...rows.map((row) => row.summary.requestsPerSecond)),
    p99Ms: Math.max(1, ...rows.map((row) => row.summary.latencyMs.p99)),
  };
}

/**
 * The trade-off at one IO delay on one framework, as a table of bars: per
 * connection count, one row per strategy with its req/s (linear from 0) and
 * its p99 latency (log scale, from 1 ms), both on the scales every panel of
 * the chart shares, with their values, and its leak rate. A bar whose answers
 * leaked is faded and hatched: fast because wrong.
 *
 * @example
 * ```ts
 * tradeOffPanel('express', 10, rows.filter((row) => row.delayMs === 10), 565, panelScales(rows)).draw(20, 200);
 * ```
 */
export function tradeOffPanel(
  framework: Framework,
  delayMs: number,
  rows: readonly BenchRow[],
  width: number,
  scales: PanelScales,
): Block {
  const connections = [...new Set(rows.map((row) => row.connections))].sort((a, b) => a - b);
  const strategies = [...new Set(rows.map((row) => row.strategy))];
  const height = HEADER + connections.length * (18 + strategies.length * ROW) + 4;
  const rest = width - LABEL - LEAK;
  const rps = linearAxis(LABEL, rest * 0.58 - 50, scales.requestsPerSecond);
  const p99 = logAxis(LABEL + rest * 0.58, rest * 0.42 - 40, scales.p99Ms);

  const draw = (x: number, y: number) => {
    const parts: string[] = [
      text(x, y + 14, `${delayMs} ms IO`, { size: 13, weight: 'bold' }),
      text(x + rps.x, y + 14, 'req/s, median round', { size: 11, fill: '#555' }),
      text(x + p99.x, y + 14, 'p99 ms, log scale', { size: 11, fill: '#555' }),
      text(x + width, y + 14, 'leaked', { size: 11, fill: '#555', anchor: 'end' }),
    ];
    for (const axis of [rps, p99]) {
      for (const tick of axis.ticks) {
        const left = x + axis.x + axis.length(tick);
        parts.push(line(left, y + HEADER - 6, left, y + height - 4, '#e3e3e3'));
        parts.push(text(left, y + HEADER - 10, formatCount(tick), { size: 9, anchor: 'middle', fill: '#888' }));
      }
    }
    let top = y + HEADER;
    for (const count of connections) {
      parts.push(text(x, top + 12, plural(count, 'connection'), { size: 11, weight: 'bold', fill: '#444' }));
      top += 18;
      for (const strategy of strategies) {
        const row = rows.find((r) => r.connections === count && r.strategy === strategy);
        if (row) parts.push(barRow(framework, row, x, top, rps, p99, width));
        top += ROW;
      }
    }
    return parts.join('\n');
  };
  return { width, height, draw };
}

/** An axis of bars: where they start, their tick values, and the length of a bar of a value. */
interface Axis {
  readonly x: number;
  readonly ticks: readonly number[];
  length(value: number): number;
}

/** Linear from 0 to `max` over `bar` px: a tick every 35 px or more, so their labels never overlap. */
function linearAxis(x: number, bar: number, max: number): Axis {
  return {
    x,
    ticks: ticks(max, Math.max(1, Math.floor(bar / 35))),
    length: (value) => (bar * Math.max(value, 0)) / max,
  };
}

/**
 * Log from 1 ms to `max` (10 ms at least), a tick at each power of ten, or at
 * every other one where a decade is too narrow for its label: a 1 ms and a
 * 1 s latency both stay readable. A latency under autocannon's 1 ms
 * resolution has no bar; its label says "<1".
 */
function logAxis(x: number, bar: number, max: number): Axis {
  // A largest latency just short of a power of ten (999 ms) ends the axis at that power, with its tick.
  const power = 10 ** Math.ceil(Math.log10(max));
  const decades = Math.max(1, Math.log10(power <= max * 1.05 ? power : max));
  const step = bar / decades >= 32 ? 1 : 2;
  const powers = Array.from({ length: Math.floor(decades) + 1 }, (_, power) => power).filter(
    (power) => power % step === 0,
  );
  return {
    x,
    ticks: powers.map((power) => 10 ** power),
    length: (value) => (value <= 1 ? 0 : (bar * Math.min(Math.log10(value), decades)) / decades),
  };
}

function barRow(
  framework: Framework,
  row: BenchRow,
  x: number,
  top: number,
  rps: Axis,
  p99: Axis,
  width: number,
): string {
  const { summary } = row;
  const label = strategyLabel(framework, row.strategy);
  const color = COLORS[row.strategy] ?? '#333';
  const leaked = summary.leaked > 0;
  const baseline = top + 10;
  const rpsWidth = rps.length(summary.requestsPerSecond);
  const p99Width = p99.length(summary.latencyMs.p99);
  const setting = `${label}, ${row.delayMs} ms IO, ${plural(row.connections, 'connection')}`;
  const bar = (left: number, barWidth: number, title: string) =>
    leaked
      ? rect(left, top + 1, barWidth, BAR, color, title, 0.35) + rect(left, top + 1, barWidth, BAR, 'url(#leak)')
      : rect(left, top + 1, barWidth, BAR, color, title);
  return [
    text(x + 10, baseline, label, { size: 11, fill: color, weight: 'bold' }),
    bar(x + rps.x, rpsWidth, `${setting}: ${formatCount(summary.requestsPerSecond)} req/s`),
    text(x + rps.x + rpsWidth + 4, baseline, formatCount(summary.requestsPerSecond), { size: 10 }),
    bar(x + p99.x, p99Width, `${setting}: p99 ${formatMs(summary.latencyMs.p99)} ms`),
    text(x + p99.x + p99Width + 4, baseline, formatMs(summary.latencyMs.p99), { size: 10 }),
    text(x + width, baseline, formatPercent(summary.leakPercent), {
      size: 11,
      anchor: 'end',
      fill: leaked ? '#c00000' : '#999',
      weight: leaked ? 'bold' : 'normal',
    }),
  ].join('');
}
