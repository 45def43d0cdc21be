import { costTargets } from './cost-targets.js';
import { formatCount, formatPercent } from './format.js';
import type { Framework } from './frameworks.js';
import { findRow } from './load.js';
import type { MemoryCheck } from './memory.js';
import { reqPerSecondTargets } from './ratio-targets.js';
import type { BenchResult } from './run.js';
import { judgeExact, ROUNDS_FOR_A_VERDICT, type TargetCheck } from './verdict.js';

export type { TargetCheck } from './verdict.js';

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
  const global = findRow(rows, 'global', 10, 10);
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

  for (const check of [...reqPerSecondTargets(rows, framework), ...costTargets(result.cost?.figures ?? [], framework)])
    add(check);
  return checks;
}

function describeMemory(memory: MemoryCheck): string {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const sign = memory.changePercent >= 0 ? '+' : '';
  return `${mib(memory.heapBeforeBytes)} -> ${mib(memory.heapAfterBytes)} (${sign}${formatPercent(memory.changePercent)}) after ${formatCount(memory.requests)} requests`;
}
