// `npm run bench:cost`: instructions (or CPU time) per warm request of each
// way to keep request context and each global lock, on each Node line the
// machine has, with the targets judged on that figure. See docs/benchmarks.md.
import { COST_APPS, type CostApp } from './apps.js';
import { parseCostArgs } from './args.js';
import { costHarness, measureCost } from './measure.js';
import { describeRuntime, installedRuntimes, type NodeRuntime, resolveRuntime } from './nodes.js';
import { checkCostTargets, describeHarness, renderCostTable, renderRuntimeSummary } from './report.js';

let args: ReturnType<typeof parseCostArgs>;
try {
  args = parseCostArgs(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
if (args === undefined) process.exit(0);

const started = Date.now();
const log = (line: string) => console.log(`[${Math.round((Date.now() - started) / 1000)} s] ${line}`);
const runtimes: NodeRuntime[] =
  args.nodes.length > 0 ? args.nodes.map((spec) => resolveRuntime(spec, log)) : installedRuntimes();
const apps: readonly CostApp[] = args.apps.length > 0 ? args.apps : COST_APPS;
const harness = costHarness(args.harness);
log(
  `${apps.length} apps x ${harness.rounds} rounds on ${runtimes.map(describeRuntime).join(', ')}: ` +
    `about ${Math.ceil((Math.ceil(apps.length / 2) * harness.rounds * runtimes.length * (20 + harness.requests[1] * 0.007)) / 60)} min on an idle machine`,
);

const results = [];
for (const runtime of runtimes) {
  const figures = await measureCost(apps, {
    ...args.harness,
    nodePath: runtime.path,
    nodeFlags: runtime.flags,
    onStep: (step) => log(`${describeRuntime(runtime)}: ${step}`),
  });
  results.push({ runtime, figures });
  console.log(
    `\n${describeHarness(harness, describeRuntime(runtime))}\n\n${renderCostTable(figures)}\n\n` +
      `Targets:\n${checkCostTargets(figures).join('\n')}\n`,
  );
}
if (results.length > 1) console.log(`Every Node line, vs its framework's als:\n\n${renderRuntimeSummary(results)}\n`);
