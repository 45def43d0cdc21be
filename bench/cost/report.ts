import { judgeCostRatio } from '../cost-targets.js';
import { baselineOf, type CostApp, FRAMEWORK_COST_APPS } from './apps.js';
import type { CostCount, CostFigure, CostHarness, CostUnit } from './measure.js';
import { medianRatio } from './measure.js';
import { describeRuntime, type NodeRuntime } from './nodes.js';

/** The targets of the performance issue, judged on the repeatable cost figure: app, baseline, allowed ratio. */
const TARGETS: ReadonlyArray<readonly [CostApp, CostApp, number]> = [
  ['current', 'als', 1.02],
  ...FRAMEWORK_COST_APPS.filter((app) => app.endsWith(':current')).map((app) => [app, baselineOf(app), 1.02] as const),
  ['current-setup', 'als', 1.03],
  ['current', 'express-http-context', 1],
  ['global-lock', 'async-mutex', 1.05],
  ['keyed-lock', 'async-mutex', 1.05],
];

const format = (perRequest: number, unit: CostUnit) =>
  unit === 'instructions' ? `${(perRequest / 1000).toFixed(1)}k instructions` : `${perRequest.toFixed(1)} µs CPU`;

/** A ratio to a baseline, with the spread of the rounds' ratios when there were several. */
const compare = (count: CostCount, base: CostCount) => {
  const { ratio, low, high } = medianRatio(count, base);
  const spread = count.rounds.length > 1 ? `${low.toFixed(3)}x to ${high.toFixed(3)}x` : '';
  return { ratio: `${ratio.toFixed(3)}x`, spread };
};

const thousands = (count: number) => count.toLocaleString('en-US');

/**
 * One line that says which harness produced a table's figures, so two tables
 * counted differently are never compared by mistake.
 *
 * @example
 * ```ts
 * describeHarness(harness, 'Node v24.22.3 (AsyncContextFrame)');
 * // 'Node v24.22.3 (AsyncContextFrame): instructions (valgrind) on the event loop, all threads beside, requests 20,000 to 30,000 over 10 keep-alive connections, median of 3 interleaved rounds'
 * ```
 */
export function describeHarness(harness: CostHarness, runtime: string): string {
  const unit =
    harness.unit === 'instructions'
      ? 'instructions (valgrind) on the event loop, all threads beside'
      : 'server CPU time (no valgrind) on the event loop, all threads beside';
  const [from, to] = harness.requests;
  const connections = `${harness.connections} keep-alive connection${harness.connections === 1 ? '' : 's'}`;
  const rounds = harness.rounds === 1 ? 'one round' : `median of ${harness.rounds} interleaved rounds`;
  const predictable = harness.predictable ? ', node --predictable' : '';
  return `${runtime}: ${unit}, requests ${thousands(from)} to ${thousands(to)} over ${connections}, ${rounds}${predictable}`;
}

/** The figure `figure` is compared with: raw AsyncLocalStorage on its framework, when it was counted. */
const floorOf = (figures: readonly CostFigure[], figure: CostFigure) =>
  figures.find((candidate) => candidate.app === baselineOf(figure.app));

/**
 * A table of each app's cost per request and its ratio to raw
 * AsyncLocalStorage on the same framework, on the event loop and on all
 * threads: the median of the rounds' ratios and, over several rounds, the
 * lowest and highest of them.
 */
export function renderCostTable(figures: readonly CostFigure[]): string {
  const cells = (count: CostCount, base: CostCount | undefined, unit: CostUnit) => {
    const { ratio, spread } = base === undefined ? { ratio: '', spread: '' } : compare(count, base);
    return `${format(count.perRequest, unit).padStart(22)} | ${ratio.padStart(10)} | ${spread.padStart(18)}`;
  };
  const rows = figures.map((figure) => {
    const floor = floorOf(figures, figure);
    return `| ${figure.app.padEnd(20)} | ${cells(figure, floor, figure.unit)} | ${cells(figure.allThreads, floor?.allThreads, figure.unit)} |`;
  });
  const headings = (place: string) =>
    `${`per request, ${place}`.padStart(22)} | ${'vs its als'.padStart(10)} | ${'rounds'.padStart(18)}`;
  const rule = `${'-'.repeat(24)}|${'-'.repeat(12)}|${'-'.repeat(20)}`;
  return [
    `| ${'app'.padEnd(20)} | ${headings('event loop')} | ${headings('all threads')} |`,
    `|${'-'.repeat(22)}|${rule}|${rule}|`,
    ...rows,
  ].join('\n');
}

/**
 * Each target whose two apps were measured, with the ratio. Over three or
 * more interleaved rounds the median of the rounds' ratios on the event loop
 * is judged against the limit (the rounds' spread, and the ratio on all
 * threads, are printed beside it); a single round gets no verdict when the
 * ratio is closer to its limit than two counts repeat to.
 */
export function checkCostTargets(figures: readonly CostFigure[]): string[] {
  const byApp = new Map(figures.map((figure) => [figure.app, figure]));
  const lines: string[] = [];
  for (const [app, baseline, allowed] of TARGETS) {
    const measured = byApp.get(app);
    const base = byApp.get(baseline);
    if (measured === undefined || base === undefined) continue;
    const { ratio, low, high } = medianRatio(measured, base);
    const rounds = Math.min(measured.rounds.length, base.rounds.length);
    const verdict = rounds >= 3 ? (ratio <= allowed ? 'met' : 'missed') : judgeCostRatio(ratio, allowed, measured.unit);
    const bound = allowed === 1 ? 'below' : `within ${Math.round((allowed - 1) * 100)}% of`;
    const spread = rounds >= 2 ? ` (median of ${rounds} rounds, ${low.toFixed(3)}x to ${high.toFixed(3)}x)` : '';
    const all = compare(measured.allThreads, base.allThreads);
    const allSpread = all.spread === '' ? '' : `, ${all.spread}`;
    lines.push(
      `- ${app} ${bound} ${baseline}: ${ratio.toFixed(3)}x on the event loop${spread}, ` +
        `${verdict === 'missed' ? 'MISSED' : verdict}; ${all.ratio} on all threads${allSpread}`,
    );
  }
  return lines;
}

/**
 * The README's table: each app's cost per request on the event loop, on each
 * Node line counted, and its ratio to raw AsyncLocalStorage on that line and framework
 * (median of the rounds' ratios), with the ratio on all threads beside.
 *
 * @example
 * ```ts
 * renderRuntimeSummary([{ runtime: node24, figures }, { runtime: node26, figures: figures26 }]);
 * // | app | Node v24.22.3 (AsyncContextFrame) | Node v26.12.1 (AsyncContextFrame) |
 * ```
 */
export function renderRuntimeSummary(
  results: ReadonlyArray<{ readonly runtime: NodeRuntime; readonly figures: readonly CostFigure[] }>,
): string {
  const apps = [...new Set(results.flatMap(({ figures }) => figures.map((figure) => figure.app)))];
  const cell = (figures: readonly CostFigure[], app: CostApp) => {
    const figure = figures.find((candidate) => candidate.app === app);
    if (figure === undefined) return '-';
    const floor = floorOf(figures, figure);
    const count = format(figure.perRequest, figure.unit).replace(' instructions', '');
    if (floor === undefined) return count;
    const all = medianRatio(figure.allThreads, floor.allThreads).ratio.toFixed(3);
    return `${count} (${medianRatio(figure, floor).ratio.toFixed(3)}x; all threads ${all}x)`;
  };
  return [
    `| app | ${results.map(({ runtime }) => describeRuntime(runtime)).join(' | ')} |`,
    `|:----|${results.map(() => '----:').join('|')}|`,
    ...apps.map((app) => `| ${app} | ${results.map(({ figures }) => cell(figures, app)).join(' | ')} |`),
  ].join('\n');
}
