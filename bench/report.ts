import { formatCount, formatMs, formatNumber, formatRatio, plural } from './format.js';
import { strategyLabel } from './frameworks.js';
import type { BenchRow } from './load.js';
import { markdownTable } from './markdown.js';
import type { BenchResult } from './run.js';
import { NO_VERDICT, type TargetCheck } from './targets.js';

/**
 * Throughput relative to the fastest strategy that leaked nothing on the same framework at the same setting.
 *
 * @example
 * ```ts
 * ratioToBestSafe(globalLockRow, rows); // 0.109: a tenth of the fastest strategy that leaked nothing
 * ```
 */
export function ratioToBestSafe(row: BenchRow, rows: readonly BenchRow[]): number | undefined {
  const safe = rows.filter(
    (other) =>
      other.framework === row.framework &&
      other.delayMs === row.delayMs &&
      other.connections === row.connections &&
      other.summary.leaked === 0,
  );
  const best = Math.max(...safe.map((other) => other.summary.requestsPerSecond));
  return safe.length === 0 || best === 0 ? undefined : row.summary.requestsPerSecond / best;
}

/**
 * The results of one framework as a Markdown table, one line per strategy and setting.
 *
 * @example
 * ```ts
 * console.log(renderTable(result.rows.filter((row) => row.framework === 'koa')));
 * ```
 */
export function renderTable(rows: readonly BenchRow[]): string {
  const header = [
    'strategy',
    'IO',
    'conns',
    'req/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    'leaked',
    'leak %',
    'avail %',
    'errors',
    'vs best safe',
  ];
  const lines = rows.map((row) => {
    const { summary } = row;
    const ratio = ratioToBestSafe(row, rows);
    return [
      strategyLabel(row.framework, row.strategy),
      `${row.delayMs} ms`,
      formatCount(row.connections),
      formatCount(summary.requestsPerSecond),
      formatMs(summary.latencyMs.p50),
      formatMs(summary.latencyMs.p99),
      formatCount(row.serverCpuMicrosPerRequest),
      `${formatCount(summary.leaked)} / ${formatCount(summary.successful + summary.leaked)}`,
      formatNumber(summary.leakPercent, 1),
      formatNumber(summary.availabilityPercent, 1),
      formatCount(summary.errors + summary.non2xx),
      ratio === undefined ? '-' : formatRatio(ratio),
    ];
  });
  return markdownTable(header, lines, 2);
}

/**
 * The targets, one per line, each miss followed by what it means.
 *
 * @example
 * ```ts
 * console.log(`Targets:\n${renderTargets(checkTargets(result))}`);
 * ```
 */
export function renderTargets(checks: readonly TargetCheck[]): string {
  const mark = { met: 'met', missed: 'MISSED', 'no verdict': 'no verdict' } as const;
  const lines = checks.flatMap((check) => {
    if (check.verdict === 'not measured') return [];
    const line = `${mark[check.verdict].padEnd(10)}  ${check.framework}: ${check.target}: ${check.measured}`;
    if (check.verdict === 'missed') return [line, `            ${check.ifMissed}`];
    if (check.verdict === 'no verdict') return [line, `            ${check.ifNoVerdict ?? NO_VERDICT}`];
    return [line];
  });
  return [
    ...lines,
    '',
    'A target is met or missed only when every round agrees. A missed leak target is a bug and fails the run (exit code 1);',
    'the other targets are goals: a miss says this machine measured the goal unmet in every round, not that the run failed.',
  ].join('\n');
}

/**
 * The machine, its load at the start and at the end, and how each setting was measured.
 *
 * @example
 * ```ts
 * console.log(renderMachine(result)); // Servers on Node v20.20.2 ..., Load average: ...
 * ```
 */
export function renderMachine(result: BenchResult): string {
  const { machine, settings } = result;
  const packages = Object.entries(machine.packages).map(([name, version]) => `${name} ${version}`);
  return [
    `Servers on ${/^v\d/.test(machine.serverNode) ? `Node ${machine.serverNode}` : machine.serverNode} (load driven by Node ${machine.driverNode}), ${machine.cpuCount} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.platform}`,
    ...(packages.length > 0 ? [`Packages: ${packages.join(', ')}`] : []),
    `Load average: ${machine.loadAverage.join(', ')} at the start, ${result.loadAverageAtEnd.join(', ')} at the end. ` +
      `Each strategy and setting: ${settings.warmupSeconds} s warm-up, then ${plural(settings.rounds, 'round')} of ${settings.durationSeconds} s ` +
      'interleaved with the other strategies; medians shown, leaks summed.',
  ].join('\n');
}

/**
 * The machine's load average at the start and at the end of the run, when
 * either reached its number of cores: then other work shared the cores, and
 * req/s and latency moved with it.
 *
 * @example
 * ```ts
 * busyMachine(result); // { start: 24.82, end: 24.38 } on 2 cores, undefined on a quiet machine
 * ```
 */
export function busyMachine(result: BenchResult): { readonly start: number; readonly end: number } | undefined {
  const start = result.machine.loadAverage[0] ?? 0;
  const end = result.loadAverageAtEnd[0] ?? 0;
  return Math.max(start, end) >= result.machine.cpuCount ? { start, end } : undefined;
}
