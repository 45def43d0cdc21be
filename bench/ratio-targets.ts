import { roundRatios, spreadOf } from './aggregate.js';
import { formatSpread } from './format.js';
import { type Framework, PEERS, type Strategy } from './frameworks.js';
import { type BenchRow, findRow } from './load.js';
import { OVERHEAD_SETTINGS, roundsOver } from './overhead.js';
import { judgeRounds, type TargetCheck } from './verdict.js';

/**
 * The targets judged on req/s on one framework, round by round: each of
 * `RATIO_TARGETS`, and current's overhead over the bare framework against
 * the peer's, where the framework has a peer.
 *
 * @example
 * ```ts
 * reqPerSecondTargets(result.rows.filter((row) => row.framework === 'hono'), 'hono');
 * ```
 */
export function reqPerSecondTargets(rows: readonly BenchRow[], framework: Framework): Omit<TargetCheck, 'framework'>[] {
  const checks = RATIO_TARGETS.map((spec) =>
    ratioTarget(
      findRow(rows, spec.strategy, spec.delayMs, spec.connections),
      findRow(rows, spec.base, spec.delayMs, spec.connections),
      spec,
    ),
  );
  const peer = overheadTarget(rows, framework);
  return peer ? [...checks, peer] : checks;
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
