import { spreadOf } from '../aggregate.js';
import { COST_REQUESTS } from '../cost/measure.js';
import type { CostRun } from '../cost.js';
import { formatCost, formatCount, formatRatio, plural } from '../format.js';
import { type Framework, type Strategy, strategyLabel } from '../frameworks.js';
import type { BenchRow } from '../load.js';
import { OVERHEAD_SETTINGS, roundsOver } from '../overhead.js';
import { type Block, COLORS, line, rect, text } from './svg.js';

const ROW = 16;
const NOTE = 15;
const LABEL = 210;

interface Bar {
  readonly framework: Framework;
  readonly strategy: Strategy;
  readonly value: number;
  /** The lowest and highest round, drawn as a whisker. */
  readonly range?: readonly [number, number];
  /** How many rounds the bar and its whisker are made of. */
  readonly rounds: number;
  readonly caption: string;
}

/**
 * Horizontal bars, one per framework and strategy, on a linear scale from 0,
 * under a title and lines that say how to read them, with a reference line at `reference`.
 */
function barsBlock(
  title: string,
  notes: readonly string[],
  bars: readonly Bar[],
  width: number,
  reference?: { value: number; label: string },
): Block {
  const max = Math.max(reference?.value ?? 0, ...bars.map((bar) => bar.range?.[1] ?? bar.value)) * 1.05;
  const barArea = width - LABEL - 250;
  const scale = (value: number) => (barArea * value) / max;
  const first = 24 + notes.length * NOTE;
  const height = first + bars.length * ROW + 18;
  const draw = (x: number, y: number) => {
    const parts = [
      text(x, y + 14, title, { size: 13, weight: 'bold' }),
      ...notes.map((note, index) => text(x, y + 16 + (index + 1) * NOTE, note, { size: 11, fill: '#555' })),
    ];
    bars.forEach((bar, index) => {
      const top = y + first + index * ROW;
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
      parts.push(line(at, y + first - 4, at, y + height - 14, '#555'));
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
          rounds: ratios.length,
          caption: `${formatRatio(median)} (${formatRatio(min)} to ${formatRatio(max)})`,
        },
      ];
    }),
  );
  if (bars.length === 0) return undefined;
  const rounds = Math.max(...bars.map((bar) => bar.rounds));
  return barsBlock(
    `Req/s as a fraction of the bare framework, ${OVERHEAD_SETTINGS}: closer to 1 costs less`,
    [
      `Bar: the median of ${plural(rounds, 'round')}, each round's req/s over bare's in the same round. Whisker: the lowest to the highest round.`,
      'Where two whiskers overlap, or one crosses 1, this run cannot tell the two apart: the machine moved more than they differ (see the targets).',
    ],
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
    return {
      ...figure,
      value: figure.perRequest,
      rounds: 1,
      caption: `${formatCost(figure.perRequest, cost.unit)}${versus}`,
    };
  });
  const [short, long] = cost.requests.map(formatCount);
  const over = cost.connections === 1 ? 'one connection' : `${cost.connections} keep-alive connections`;
  const window = `the ${short}th to the ${long}th request, over ${over}`;
  if (cost.unit !== 'instructions') {
    return barsBlock(
      'Server CPU time per warm request (valgrind not installed, so no instruction count): shorter costs less',
      [
        `This run's own servers at 0 ms IO, ${window}. CPU time moves by 10% or more between runs, more on a busy machine: install valgrind for counts that repeat.`,
      ],
      bars,
      width,
    );
  }
  return barsBlock(
    'Instructions per warm request on the event loop, counted by valgrind (npm run bench): shorter costs less',
    [
      `This run's own servers at 0 ms IO, ${window}: V8 is still compiling there, and its work counts.`,
      `npm run bench:cost counts its own Express apps from the ${formatCount(COST_REQUESTS[0])}th to the ${formatCount(COST_REQUESTS[1])}th request, later in their life: its counts are lower. Compare ratios, not counts, across the two.`,
    ],
    bars,
    width,
  );
}
