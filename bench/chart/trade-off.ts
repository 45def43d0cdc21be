import { formatCount, formatMs, formatPercent, plural } from '../format.js';
import { type Framework, strategyLabel } from '../frameworks.js';
import type { BenchRow } from '../load.js';
import { type Block, COLORS, line, rect, text, ticks } from './svg.js';

const ROW = 15;
const BAR = 10;
const HEADER = 44;
const LABEL = 170;
const LEAK = 58;

/**
 * The trade-off at one IO delay on one framework, as a table of bars: per
 * connection count, one row per strategy with its req/s and its p99 latency
 * as linear bars with their values, and its leak rate. A bar whose answers
 * leaked is hatched, so "fast" and "wrong" read together.
 *
 * @example
 * ```ts
 * tradeOffPanel('express', 10, rows.filter((row) => row.delayMs === 10), 565).draw(20, 200);
 * ```
 */
export function tradeOffPanel(framework: Framework, delayMs: number, rows: readonly BenchRow[], width: number): Block {
  const connections = [...new Set(rows.map((row) => row.connections))].sort((a, b) => a - b);
  const strategies = [...new Set(rows.map((row) => row.strategy))];
  const height = HEADER + connections.length * (18 + strategies.length * ROW) + 4;
  const rest = width - LABEL - LEAK;
  const rps = axis(LABEL, rest * 0.6 - 56, Math.max(...rows.map((row) => row.summary.requestsPerSecond)));
  const p99 = axis(LABEL + rest * 0.6, rest * 0.4 - 56, Math.max(...rows.map((row) => row.summary.latencyMs.p99)));

  const draw = (x: number, y: number) => {
    const parts: string[] = [
      text(x, y + 14, `${delayMs} ms IO`, { size: 13, weight: 'bold' }),
      text(x + rps.x, y + 14, 'req/s (median round)', { size: 11, fill: '#555' }),
      text(x + p99.x, y + 14, 'p99 latency, ms', { size: 11, fill: '#555' }),
      text(x + width, y + 14, 'leaked', { size: 11, fill: '#555', anchor: 'end' }),
    ];
    for (const axis of [rps, p99]) {
      for (const tick of axis.ticks) {
        const left = x + axis.x + scale(axis, tick);
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

/** A linear axis: where its bars start, how long the last tick is, and its ticks. */
interface Axis {
  readonly x: number;
  readonly bar: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

/** An axis at `x`, `bar` long, up to `max`: a tick every 35 px or more, so their labels never overlap. */
function axis(x: number, bar: number, max: number): Axis {
  return { x, bar, max: Math.max(max, 1), ticks: ticks(max, Math.max(1, Math.floor(bar / 35))) };
}

/** The length of a bar of `value` on `axis`: linear from 0 to the largest value. */
function scale(axis: Axis, value: number): number {
  return (axis.bar * value) / axis.max;
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
  const rpsWidth = scale(rps, summary.requestsPerSecond);
  const p99Width = scale(p99, summary.latencyMs.p99);
  const setting = `${label}, ${row.delayMs} ms IO, ${plural(row.connections, 'connection')}`;
  const bar = (left: number, barWidth: number, title: string) =>
    rect(left, top + 1, barWidth, BAR, color, title) + (leaked ? rect(left, top + 1, barWidth, BAR, 'url(#leak)') : '');
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
