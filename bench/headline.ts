import { formatCount, formatNumber } from './format.js';
import { type Framework, STRATEGIES, strategyLabel } from './frameworks.js';
import type { BenchRow } from './load.js';
import type { BenchResult } from './run.js';

/**
 * The run's verdict in one line per framework, for the top of the chart and
 * the report: which strategies leaked and how much, then what keeping the
 * user safely costs with IO in the request: `current` against the global lock
 * at the longest IO delay and the most connections measured.
 *
 * @example
 * ```ts
 * headlines(result); // ['global leaked 84% of its answers, every other strategy none; at 10 ms IO and 100 connections current served 6,718 req/s, 74x global-lock's 91.']
 * ```
 */
export function headlines(result: BenchResult): string[] {
  const { frameworks } = result.settings;
  return frameworks.flatMap((framework) => {
    const rows = result.rows.filter((row) => row.framework === framework);
    if (rows.length === 0) return [];
    const line = `${leaks(framework, rows)}${speed(rows)}.`;
    return [frameworks.length > 1 ? `${framework}: ${line.replace(/^No /, 'no ')}` : line];
  });
}

function leaks(framework: Framework, rows: readonly BenchRow[]): string {
  const measured = STRATEGIES.filter((strategy) => rows.some((row) => row.strategy === strategy));
  const leakers = measured.flatMap((strategy) => {
    let leaked = 0;
    let answers = 0;
    for (const { summary } of rows.filter((row) => row.strategy === strategy)) {
      leaked += summary.leaked;
      answers += summary.successful + summary.leaked + summary.unmatched;
    }
    return leaked === 0
      ? []
      : [`${strategyLabel(framework, strategy)} leaked ${percent(leaked, answers)} of its answers`];
  });
  if (leakers.length === 0) return 'No strategy leaked an answer';
  return leakers.length === measured.length ? leakers.join(', ') : `${leakers.join(', ')}, every other strategy none`;
}

/** `current` against `global-lock` where IO makes the lock's queue matter most. */
function speed(rows: readonly BenchRow[]): string {
  const delayMs = Math.max(...rows.map((row) => row.delayMs));
  const at = rows.filter((row) => row.delayMs === delayMs);
  const connections = Math.max(...at.map((row) => row.connections));
  const rate = (strategy: string) =>
    at.find((row) => row.strategy === strategy && row.connections === connections)?.summary.requestsPerSecond;
  const current = rate('current');
  const lock = rate('global-lock');
  if (delayMs === 0 || connections === 1 || current === undefined || lock === undefined || lock === 0) return '';
  const setting = `at ${delayMs} ms IO and ${formatCount(connections)} connections`;
  const times = current / lock;
  return `; ${setting} current served ${formatCount(current)} req/s, ${formatNumber(times, times >= 10 ? 0 : 1)}x global-lock's ${formatCount(lock)}`;
}

/** A share as a whole percent, but never rounded to 0% or 100% when it is neither. */
function percent(part: number, whole: number): string {
  const value = (100 * part) / whole;
  if (value > 0 && value < 1) return 'under 1%';
  if (value > 99 && value < 100) return 'over 99%';
  return `${formatNumber(value, 0)}%`;
}
