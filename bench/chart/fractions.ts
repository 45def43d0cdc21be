import { spreadOf } from '../aggregate.js';
import type { CostRun } from '../cost.js';
import { formatCost, formatRatio } from '../format.js';
import { type Framework, type Strategy, strategyLabel } from '../frameworks.js';
import type { BenchRow } from '../load.js';
import { OVERHEAD_SETTINGS, roundsOver } from '../overhead.js';
import { type Block, COLORS, line, rect, text } from './svg.js';

const ROW = 16;
const LABEL = 210;

interface Bar {
  readonly framework: Framework;
  readonly strategy: Strategy;
  readonly value: number;
  /** The lowest and highest round, drawn as a whisker. */
  readonly range?: readonly [number, number];
  readonly caption: string;
}

/** Horizontal bars, one per framework and strategy, on a linear scale from 0, with a reference line at `reference`. */
function barsBlock(
  title: string,
  bars: readonly Bar[],
  width: number,
  reference?: { value: number; label: string },
): Block {
  const max = Math.max(reference?.value ?? 0, ...bars.map((bar) => bar.range?.[1] ?? bar.value)) * 1.05;
  const barArea = width - LABEL - 250;
  const scale = (value: number) => (barArea * value) / max;
  const height = 24 + bars.length * ROW + 18;
  const draw = (x: number, y: number) => {
    const parts = [text(x, y + 14, title, { size: 13, weight: 'bold' })];
    bars.forEach((bar, index) => {
      const top = y + 24 + index * ROW;
      const color = COLORS[bar.strategy] ?? '#333';
      const label = `${bar.framework}: ${strategyLabel(bar.framework, bar.strategy)}`;
      parts.push(text(x + LABEL - 8, top + 11, label, { size: 11, anchor: 'end', fill: color, weight: 'bold' }));
      parts.push(rect(x + LABEL, top + 2, scale(bar.value), 11, color, `${label}: ${bar.caption}`));
      if (bar.range) {
        const [low, high] = bar.range.map(scale) as [number, number];
        parts.push(line(x + LABEL + low, top + 7.5, x + LABEL + high, top + 7.5, '#222'));
        parts.push(line(x + LABEL + low, top + 3, x + LABEL + low, top + 12, '#222'));
        parts.push(line(x + LABEL + high, top + 3, x + LABEL + high, top + 12, '#222'));
      }
      const end = Math.max(scale(bar.value), bar.range ? scale(bar.range[1]) : 0);
      parts.push(text(x + LABEL + end + 6, top + 11, bar.caption, { size: 10 }));
    });
    if (reference) {
      const at = x + LABEL + scale(reference.value);
      parts.push(line(at, y + 20, at, y + height - 14, '#555'));
      parts.push(text(at, y + height - 2, reference.label, { size: 10, anchor: 'middle', fill: '#555' }));
    }
    return parts.join('\n');
  };
  return { width, height, draw };
}

/**
 * Each context's req/s as a fraction of its bare framework: median round, whiskers from the lowest to the highest.
 *
 * @example
 * ```ts
 * overheadBlock(result.rows, ['express', 'fastify'], 1160)?.draw(20, 900);
 * ```
 */
export function overheadBlock(
  rows: readonly BenchRow[],
  frameworks: readonly Framework[],
  width: number,
): Block | undefined {
  const bars = frameworks.flatMap((framework) =>
    (['current', 'als', 'peer'] as const).flatMap((strategy): Bar[] => {
      const ratios = roundsOver(rows, framework, strategy);
      if (ratios.length === 0) return [];
      const { median, min, max } = spreadOf(ratios);
      return [
        {
          framework,
          strategy,
          value: median,
          range: [min, max],
          caption: `${formatRatio(median)} (${formatRatio(min)} to ${formatRatio(max)})`,
        },
      ];
    }),
  );
  if (bars.length === 0) return undefined;
  return barsBlock(
    `Req/s as a fraction of the bare framework, ${OVERHEAD_SETTINGS}: closer to 1 costs less`,
    bars,
    width,
    {
      value: 1,
      label: 'bare = 1',
    },
  );
}

/**
 * The cost per warm request of each measured strategy: the repeatable figure.
 *
 * @example
 * ```ts
 * costBlock(result.cost, 1160)?.draw(20, 1100);
 * ```
 */
export function costBlock(cost: CostRun | undefined, width: number): Block | undefined {
  if (cost === undefined || cost.figures.length === 0) return undefined;
  const bars = cost.figures.map((figure): Bar => {
    const als = cost.figures.find((other) => other.framework === figure.framework && other.strategy === 'als');
    const versus = als && als !== figure ? `, ${formatRatio(figure.perRequest / als.perRequest)} of als` : '';
    return { ...figure, value: figure.perRequest, caption: `${formatCost(figure.perRequest, cost.unit)}${versus}` };
  });
  const title =
    cost.unit === 'instructions'
      ? 'Instructions per warm request, counted by valgrind: shorter costs less'
      : 'Server CPU time per warm request (valgrind not installed): shorter costs less';
  return barsBlock(title, bars, width);
}
