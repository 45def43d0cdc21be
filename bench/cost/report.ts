import { judgeCostRatio } from '../cost-targets.js';
import type { CostApp } from './apps.js';
import type { CostFigure } from './measure.js';

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

/** A table of each app's cost per request and its ratio to raw AsyncLocalStorage. */
export function renderCostTable(figures: readonly CostFigure[]): string {
  const floor = figures.find((figure) => figure.app === 'als');
  const rows = figures.map((figure) => {
    const ratio = floor === undefined ? '' : `${(figure.perRequest / floor.perRequest).toFixed(3)}x`;
    return `| ${figure.app.padEnd(20)} | ${format(figure).padStart(22)} | ${ratio.padStart(8)} |`;
  });
  return [
    `| ${'app'.padEnd(20)} | ${'per warm request'.padStart(22)} | ${'vs als'.padStart(8)} |`,
    `|${'-'.repeat(22)}|${'-'.repeat(24)}|${'-'.repeat(10)}|`,
    ...rows,
  ].join('\n');
}

/**
 * Each target whose two apps were measured, with the ratio: met, missed, or
 * no verdict when the ratio is closer to its limit than counts repeat to.
 */
export function checkCostTargets(figures: readonly CostFigure[]): string[] {
  const byApp = new Map(figures.map((figure) => [figure.app, figure]));
  const lines: string[] = [];
  for (const [app, baseline, allowed] of TARGETS) {
    const measured = byApp.get(app);
    const base = byApp.get(baseline);
    if (measured === undefined || base === undefined) continue;
    const ratio = measured.perRequest / base.perRequest;
    const verdict = judgeCostRatio(ratio, allowed, measured.unit);
    const bound = allowed === 1 ? 'below' : `within ${Math.round((allowed - 1) * 100)}% of`;
    lines.push(`- ${app} ${bound} ${baseline}: ${ratio.toFixed(3)}x, ${verdict === 'missed' ? 'MISSED' : verdict}`);
  }
  return lines;
}
