import type { CostUnit } from './cost/measure.js';
import type { StrategyCost } from './cost.js';
import { formatCost, formatPercent, formatRatio } from './format.js';
import { type Framework, PEERS, type Strategy } from './frameworks.js';
import type { TargetCheck, Verdict } from './verdict.js';

/**
 * How far apart two cost figures of the same code may come out from run to
 * run: instructions within about 3 % at the default request counts (2.2 %
 * between two runs of current at 1,000 and 4,000 requests here), CPU time
 * within about 10 % on a busy machine. Closer than this to its limit, a cost
 * target gets no verdict.
 */
const COST_REPEATABILITY = { instructions: 0.03, 'cpu-microseconds': 0.1 } as const;

/**
 * Judges one cost ratio against its limit: no verdict when the ratio is
 * closer to the limit than two counts of the same code repeat to.
 *
 * @example
 * ```ts
 * judgeCostRatio(1.029, 1.02, 'instructions'); // 'no verdict'
 * judgeCostRatio(0.96, 1.05, 'instructions'); // 'met'
 * ```
 */
export function judgeCostRatio(ratio: number, limit: number, unit: CostUnit): Verdict {
  return Math.abs(ratio - limit) <= COST_REPEATABILITY[unit] ? 'no verdict' : ratio <= limit ? 'met' : 'missed';
}

/**
 * The targets of the performance issue on one framework, judged on the repeatable cost figure.
 *
 * @example
 * ```ts
 * costTargets(result.cost?.figures ?? [], 'express'); // current within 2% of als, and below the peer
 * ```
 */
export function costTargets(figures: readonly StrategyCost[], framework: Framework): Omit<TargetCheck, 'framework'>[] {
  const of = (strategy: Strategy) =>
    figures.find((figure) => figure.framework === framework && figure.strategy === strategy);
  const current = of('current');
  const checks: Omit<TargetCheck, 'framework'>[] = [];
  for (const [base, limit, name] of [
    ['als', 1.02, 'within 2% of als'],
    ['peer', 1, `below ${PEERS[framework]}`],
  ] as const) {
    const baseline = of(base);
    if (current === undefined || baseline === undefined) continue;
    const ratio = current.perRequest / baseline.perRequest;
    const figure =
      current.unit === 'instructions'
        ? 'instructions per request on the event loop, counted by valgrind'
        : 'server CPU time per request (valgrind is not installed)';
    checks.push({
      failsRun: false,
      target: `current ${name} in ${figure}`,
      measured: `${formatRatio(ratio)}: ${formatCost(current.perRequest, current.unit)} against ${formatCost(baseline.perRequest, baseline.unit)}`,
      verdict: judgeCostRatio(ratio, limit, current.unit),
      ifMissed: `current costs more per request than this goal allows, on this Node version. It says nothing about correctness; \`npm run bench:cost\` measures every app of the performance work.`,
      ifNoVerdict: `The ratio is within ${formatPercent(COST_REPEATABILITY[current.unit] * 100)} of the limit, closer than two counts of the same code repeat to, so this run cannot tell.`,
    });
  }
  return checks;
}
