// `npm run bench:cost`: instructions (or CPU time) per warm request of each
// way to keep request context and each global lock, with the targets judged
// on that figure. See docs/benchmarks.md.
import { COST_APPS, type CostApp } from './apps.js';
import { type CostFigure, measureCost } from './measure.js';
import { checkCostTargets, renderCostTable } from './report.js';

const apps = process.argv.slice(2).filter((arg) => !arg.startsWith('-')) as CostApp[];
const unknown = apps.filter((app) => !COST_APPS.includes(app));
if (unknown.length > 0) {
  console.error(`Unknown app ${unknown.join(', ')}; expected some of ${COST_APPS.join(', ')}.`);
  process.exit(2);
}
const started = Date.now();
const figures: CostFigure[] = await measureCost(apps.length > 0 ? apps : COST_APPS, {
  onStep: (label) => console.log(`[${Math.round((Date.now() - started) / 1000)} s] ${label}`),
});
console.log(`\n${renderCostTable(figures)}\n\nTargets:\n${checkCostTargets(figures).join('\n')}`);
