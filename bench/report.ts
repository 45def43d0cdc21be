import { spreadOf } from './aggregate.js';
import type { CostRun } from './cost.js';
import { formatCost, formatCount, formatMs, formatNumber, formatRatio, formatSpread, plural } from './format.js';
import { type Framework, PEERS, STRATEGIES, strategyLabel } from './frameworks.js';
import type { BenchRow } from './load.js';
import { OVERHEAD_SETTINGS, roundsOver } from './overhead.js';
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

/** A Markdown table: text columns left-aligned, the rest right-aligned. */
export function markdownTable(
  header: readonly string[],
  lines: readonly (readonly string[])[],
  textColumns = 1,
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)),
  );
  const numeric = (column: number) => column >= textColumns;
  const cells = (line: readonly string[]) =>
    `| ${line.map((cell, column) => (numeric(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (numeric(column) ? `${'-'.repeat(width + 1)}:` : `:${'-'.repeat(width + 1)}`)).join('|')}|`;
  return [cells(header), rule, ...lines.map(cells)].join('\n');
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
 * Each framework's contexts as a fraction of its bare req/s, with the spread over rounds.
 *
 * @example
 * ```ts
 * console.log(renderOverheadTable(result)); // | express | 0.950x (0.900x to 0.990x over 10 rounds) | ...
 * ```
 */
export function renderOverheadTable(result: BenchResult): string {
  const lines = result.settings.frameworks.map((framework) => {
    const cell = (strategy: 'current' | 'als' | 'peer') => {
      const ratios = roundsOver(result.rows, framework, strategy);
      return ratios.length === 0 ? '-' : formatSpread(spreadOf(ratios));
    };
    return [framework, cell('current'), cell('als'), PEERS[framework] ?? '-', cell('peer')];
  });
  return `Req/s as a fraction of the bare framework at ${OVERHEAD_SETTINGS}, median round (lowest to highest):\n\n${markdownTable(
    ['framework', 'current', 'als', 'peer', 'peer vs bare'],
    lines,
    1,
  )}`;
}

/**
 * The cost per warm request of each measured strategy, and its ratio to raw AsyncLocalStorage and to bare.
 *
 * @example
 * ```ts
 * if (result.cost) console.log(renderCostTable(result.cost));
 * ```
 */
export function renderCostTable(cost: CostRun): string {
  const { unit, requests, figures } = cost;
  const perRequest = (framework: Framework, strategy: string) =>
    figures.find((figure) => figure.framework === framework && figure.strategy === strategy)?.perRequest;
  const lines = [...figures]
    .sort((a, b) => STRATEGIES.indexOf(a.strategy) - STRATEGIES.indexOf(b.strategy))
    .map((figure) => {
      const vs = (base: string) => {
        const below = perRequest(figure.framework, base);
        return below === undefined ? '-' : formatRatio(figure.perRequest / below);
      };
      return [
        figure.framework,
        strategyLabel(figure.framework, figure.strategy),
        formatCost(figure.perRequest, unit),
        vs('als'),
        vs('bare'),
      ];
    });
  const method =
    unit === 'instructions'
      ? 'instructions counted by valgrind (callgrind)'
      : 'server CPU time (install valgrind for instruction counts, which repeat to about 1%)';
  return `Cost per warm request at 0 ms IO, in ${method}: the difference between a run of ${formatCount(requests[0])} and one of ${formatCount(requests[1])} requests:\n\n${markdownTable(
    ['framework', 'strategy', 'per request', 'vs als', 'vs bare'],
    lines,
    2,
  )}`;
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
    `Servers on Node ${machine.serverNode} (load driven by Node ${machine.driverNode}), ${machine.cpuCount} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.platform}`,
    ...(packages.length > 0 ? [`Packages: ${packages.join(', ')}`] : []),
    `Load average: ${machine.loadAverage.join(', ')} at the start, ${result.loadAverageAtEnd.join(', ')} at the end. ` +
      `Each strategy and setting: ${settings.warmupSeconds} s warm-up, then ${plural(settings.rounds, 'round')} of ${settings.durationSeconds} s ` +
      'interleaved with the other strategies; medians shown, leaks summed.',
  ].join('\n');
}
