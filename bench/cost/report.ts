import { judgeCostRatio } from '../cost-targets.js';
import type { CostApp } from './apps.js';
import type { CostFigure, CostHarness } from './measure.js';
import { medianRatio } from './measure.js';
import { describeRuntime, type NodeRuntime } from './nodes.js';

/** The targets of the performance issue, judged on the repeatable cost figure: app, baseline, allowed ratio. */
const TARGETS: ReadonlyArray<readonly [CostApp, CostApp, number]> = [
  ['current', 'als', 1.02],
  ['current-setup', 'als', 1.03],
  ['current', 'express-http-context', 1],
  ['global-lock', 'async-mutex', 1.05],
  ['keyed-lock', 'async-mutex', 1.05],
];

const format = (figure: CostFigure) =>
  figure.unit === 'instructions'
    ? `${(figure.perRequest / 1000).toFixed(1)}k instructions`
    : `${figure.perRequest.toFixed(1)} µs CPU`;

const thousands = (count: number) => count.toLocaleString('en-US');

/**
 * One line that says which harness produced a table's figures, so two tables
 * counted differently are never compared by mistake.
 *
 * @example
 * ```ts
 * describeHarness(harness, 'Node v24.22.3 (AsyncContextFrame)');
 * // 'Node v24.22.3 (AsyncContextFrame): instructions (valgrind), requests 20,000 to 30,000 over 10 keep-alive connections, median of 3 interleaved rounds'
 * ```
 */
export function describeHarness(harness: CostHarness, runtime: string): string {
  const unit = harness.unit === 'instructions' ? 'instructions (valgrind)' : 'server CPU time (no valgrind)';
  const [from, to] = harness.requests;
  const connections = `${harness.connections} keep-alive connection${harness.connections === 1 ? '' : 's'}`;
  const rounds = harness.rounds === 1 ? 'one round' : `median of ${harness.rounds} interleaved rounds`;
  const predictable = harness.predictable ? ', node --predictable' : '';
  return `${runtime}: ${unit}, requests ${thousands(from)} to ${thousands(to)} over ${connections}, ${rounds}${predictable}`;
}

/**
 * A table of each app's cost per request and its ratio to raw
 * AsyncLocalStorage: the median of the rounds' ratios and, over several
 * rounds, the lowest and highest of them.
 */
export function renderCostTable(figures: readonly CostFigure[]): string {
  const floor = figures.find((figure) => figure.app === 'als');
  const rows = figures.map((figure) => {
    let ratio = '';
    let spread = '';
    if (floor !== undefined) {
      const compared = medianRatio(figure, floor);
      ratio = `${compared.ratio.toFixed(3)}x`;
      if (figure.rounds.length > 1) spread = `${compared.low.toFixed(3)}x to ${compared.high.toFixed(3)}x`;
    }
    return `| ${figure.app.padEnd(20)} | ${format(figure).padStart(22)} | ${ratio.padStart(8)} | ${spread.padStart(18)} |`;
  });
  return [
    `| ${'app'.padEnd(20)} | ${'per warm request'.padStart(22)} | ${'vs als'.padStart(8)} | ${'rounds'.padStart(18)} |`,
    `|${'-'.repeat(22)}|${'-'.repeat(24)}|${'-'.repeat(10)}|${'-'.repeat(20)}|`,
    ...rows,
  ].join('\n');
}

/**
 * Each target whose two apps were measured, with the ratio. Over three or
 * more interleaved rounds the median of the rounds' ratios is judged against
 * the limit (the rounds' spread is printed beside it); a single round gets no
 * verdict when the ratio is closer to its limit than two counts repeat to.
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
    lines.push(
      `- ${app} ${bound} ${baseline}: ${ratio.toFixed(3)}x${spread}, ${verdict === 'missed' ? 'MISSED' : verdict}`,
    );
  }
  return lines;
}

/**
 * The README's table: each app's cost per request on each Node line counted,
 * and its ratio to raw AsyncLocalStorage on that line (median of the rounds' ratios).
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
    const floor = figures.find((candidate) => candidate.app === 'als');
    if (figure === undefined) return '-';
    const count = format(figure).replace(' instructions', '');
    return floor === undefined ? count : `${count} (${medianRatio(figure, floor).ratio.toFixed(3)}x)`;
  };
  return [
    `| app | ${results.map(({ runtime }) => describeRuntime(runtime)).join(' | ')} |`,
    `|:----|${results.map(() => '----:').join('|')}|`,
    ...apps.map((app) => `| ${app} | ${results.map(({ figures }) => cell(figures, app)).join(' | ')} |`),
  ].join('\n');
}
