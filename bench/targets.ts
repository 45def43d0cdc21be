import { roundRatios, spreadOf } from './aggregate.js';
import type { StrategyCost } from './cost.js';
import { formatCost, formatCount, formatPercent, formatRatio, formatSpread } from './format.js';
import { type Framework, PEERS, type Strategy } from './frameworks.js';
import type { BenchRow } from './load.js';
import type { MemoryCheck } from './memory.js';
import { OVERHEAD_SETTINGS, roundsOver } from './overhead.js';
import type { BenchResult } from './run.js';
import { judgeExact, judgeRounds, ROUNDS_FOR_A_VERDICT, type Verdict } from './verdict.js';

/** A target of the benchmark, judged on one run. */
export interface TargetCheck {
  readonly framework: Framework;
  /** Whether a miss fails the run (exit code 1): a leak through this library is a bug; the rest are goals. */
  readonly failsRun: boolean;
  readonly target: string;
  readonly measured: string;
  readonly verdict: Verdict;
  /** What a miss means, shown with a miss. */
  readonly ifMissed: string;
  /** Why this run cannot tell, shown without a verdict; default `NO_VERDICT`. */
  readonly ifNoVerdict?: string;
}

/**
 * How far apart two cost figures of the same code may come out from run to
 * run: instructions within about 3 % at the default request counts (2.2 %
 * between two runs of current at 1,000 and 4,000 requests here), CPU time
 * within about 10 % on a busy machine. Closer than this to its limit, a cost
 * target gets no verdict.
 */
export const COST_REPEATABILITY = { instructions: 0.03, 'cpu-microseconds': 0.1 } as const;

/** Why a target judged on rounds has no verdict. */
export const NO_VERDICT = `The rounds disagree, or there are fewer than ${ROUNDS_FOR_A_VERDICT}: the noise between rounds on this machine is larger than the difference at stake, so this run cannot tell.`;

/**
 * Judges a run against the benchmark's targets, framework by framework.
 *
 * @example
 * ```ts
 * const checks = checkTargets(result);
 * const failed = checks.some((check) => check.failsRun && check.verdict === 'missed');
 * ```
 */
export function checkTargets(result: BenchResult): TargetCheck[] {
  return result.settings.frameworks.flatMap((framework) => checkFramework(result, framework));
}

function checkFramework(result: BenchResult, framework: Framework): TargetCheck[] {
  const rows = result.rows.filter((row) => row.framework === framework);
  const find = (strategy: Strategy, delayMs: number, connections: number) =>
    rows.find((row) => row.strategy === strategy && row.delayMs === delayMs && row.connections === connections);
  const checks: TargetCheck[] = [];
  const add = (check: Omit<TargetCheck, 'framework'>) => checks.push({ framework, ...check });

  for (const strategy of ['current', 'global-lock'] as const) {
    const measured = rows.filter((row) => row.strategy === strategy);
    const leaked = measured.reduce((sum, row) => sum + row.summary.leaked, 0);
    const answers = measured.reduce((sum, row) => sum + row.summary.successful + row.summary.leaked, 0);
    add({
      failsRun: true,
      target: `${strategy} leaks nothing, at every setting`,
      measured:
        measured.length === 0 ? 'not measured' : `${formatCount(leaked)} of ${formatCount(answers)} answers leaked`,
      verdict: judgeExact(measured.length > 0, leaked === 0),
      ifMissed: `A request saw another request's user through ${strategy}: a bug in this library. Please report it with this output.`,
    });
  }
  const global = find('global', 10, 10);
  add({
    failsRun: false,
    target: 'global leaks in more than half of its answers at 10 ms IO, 10 connections',
    measured: global ? formatPercent(global.summary.leakPercent) : 'not measured',
    verdict: judgeExact(global !== undefined, (global?.summary.leakPercent ?? 0) > 50),
    ifMissed:
      'The load did not make requests overlap, so the zero leaks of the other strategies prove less than they should.',
  });
  const memory = result.memory.find((check) => check.framework === framework);
  add({
    failsRun: false,
    target: 'current heap after the long run within 5% of before',
    measured: memory ? describeMemory(memory) : 'not measured',
    verdict: judgeExact(memory !== undefined, Math.abs(memory?.changePercent ?? 0) <= 5 && memory?.leaked === 0),
    ifMissed:
      'The heap grew over the run: something per request may be retained. Run again; if it grows again, take a heap snapshot of the current server.',
  });

  for (const spec of RATIO_TARGETS)
    add(
      ratioTarget(
        find(spec.strategy, spec.delayMs, spec.connections),
        find(spec.base, spec.delayMs, spec.connections),
        spec,
      ),
    );
  const peer = overheadTarget(rows, framework);
  if (peer) add(peer);
  for (const check of costTargets(result.cost?.figures ?? [], framework)) add(check);
  return checks;
}

/** A req/s target: `strategy` against `base` at one setting, with the range its ratio must fall in. */
interface RatioTarget {
  readonly strategy: Strategy;
  readonly base: Strategy;
  readonly delayMs: number;
  readonly connections: number;
  readonly range: readonly [number, number];
  readonly goal: string;
  readonly ifMissed: string;
}

const CURRENT_VS_ALS_MISSED =
  'Every round served current at less than 0.97x of raw AsyncLocalStorage: the library costs this framework more than the goal allows on this Node version. The cost figure is the repeatable judge of this difference.';

const RATIO_TARGETS: readonly RatioTarget[] = [
  ...[10, 100].map((connections) => ({
    strategy: 'current' as const,
    base: 'als' as const,
    delayMs: 0,
    connections,
    range: [0.97, Number.POSITIVE_INFINITY] as const,
    goal: 'current >= 0.97x als',
    ifMissed: CURRENT_VS_ALS_MISSED,
  })),
  {
    strategy: 'current',
    base: 'global',
    delayMs: 10,
    connections: 10,
    range: [0.9, Number.POSITIVE_INFINITY],
    goal: 'current >= 0.9x global',
    ifMissed:
      'With IO to wait for, keeping the user safely cost more than 10% of the throughput of the leaking global.',
  },
  {
    strategy: 'global-lock',
    base: 'current',
    delayMs: 10,
    connections: 10,
    range: [0.07, 0.13],
    goal: 'global-lock near 1/10 of current (0.07x to 0.13x)',
    ifMissed:
      'A global lock runs one request at a time, so at 10 connections it should serve about a tenth of current. Outside that range, the lock let requests overlap (above) or added a cost of its own (below).',
  },
];

function ratioTarget(
  row: BenchRow | undefined,
  base: BenchRow | undefined,
  { goal, delayMs, connections, range: [low, high], ifMissed }: RatioTarget,
): Omit<TargetCheck, 'framework'> {
  const ratios = row && base ? roundRatios(row, base) : [];
  return {
    failsRun: false,
    target: `${goal} in req/s at ${delayMs} ms IO, ${connections} connections`,
    measured: ratios.length === 0 ? 'not measured' : formatSpread(spreadOf(ratios)),
    verdict: judgeRounds(ratios, (ratio) => ratio >= low && ratio <= high),
    ifMissed,
  };
}

/**
 * The goal of the adapters: `current` costs a framework less than its own
 * request-context peer. Judged on current's rounds paired with the peer's.
 */
function overheadTarget(rows: readonly BenchRow[], framework: Framework): Omit<TargetCheck, 'framework'> | undefined {
  const peerName = PEERS[framework];
  if (peerName === undefined) return undefined;
  const current = roundsOver(rows, framework, 'current');
  const peer = roundsOver(rows, framework, 'peer');
  return {
    failsRun: false,
    target: `current's overhead over bare ${framework} smaller than ${peerName}'s (req/s at ${OVERHEAD_SETTINGS})`,
    measured:
      current.length === 0 || peer.length === 0
        ? 'not measured'
        : `current ${formatSpread(spreadOf(current))} of bare, ${peerName} ${formatSpread(spreadOf(peer))}`,
    verdict: judgeRounds(roundsOver(rows, framework, 'current', 'peer'), (ratio) => ratio > 1),
    ifMissed: `In every round ${peerName} served more requests a second than current: current costs ${framework} more than its own peer does.`,
  };
}

/** The targets of the performance issue, judged on the repeatable cost figure. */
function costTargets(figures: readonly StrategyCost[], framework: Framework): Omit<TargetCheck, 'framework'>[] {
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
    const noise = COST_REPEATABILITY[current.unit];
    const figure =
      current.unit === 'instructions'
        ? 'instructions per request, counted by valgrind'
        : 'server CPU time per request (valgrind is not installed)';
    checks.push({
      failsRun: false,
      target: `current ${name} in ${figure}`,
      measured: `${formatRatio(ratio)}: ${formatCost(current.perRequest, current.unit)} against ${formatCost(baseline.perRequest, baseline.unit)}`,
      verdict: Math.abs(ratio - limit) <= noise ? 'no verdict' : ratio <= limit ? 'met' : 'missed',
      ifMissed: `current costs more per request than this goal allows, on this Node version. It says nothing about correctness; \`npm run bench:cost\` measures every app of the performance work.`,
      ifNoVerdict: `The ratio is within ${formatPercent(noise * 100)} of the limit, closer than two counts of the same code repeat to, so this run cannot tell.`,
    });
  }
  return checks;
}

function describeMemory(memory: MemoryCheck): string {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const sign = memory.changePercent >= 0 ? '+' : '';
  return `${mib(memory.heapBeforeBytes)} -> ${mib(memory.heapAfterBytes)} (${sign}${formatPercent(memory.changePercent)}) after ${formatCount(memory.requests)} requests`;
}
