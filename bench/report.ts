import type { BenchResult, BenchRow } from './run.js';

/** A target of the benchmark (README, issue #4), judged on one run's numbers. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  /** `undefined` when the run did not include what the target needs. */
  readonly met: boolean | undefined;
}

const format = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Throughput relative to the fastest strategy that leaked nothing at the same setting. */
export function ratioToBestSafe(row: BenchRow, rows: readonly BenchRow[]): number | undefined {
  const safe = rows.filter(
    (other) => other.delayMs === row.delayMs && other.connections === row.connections && other.summary.leaked === 0,
  );
  const best = Math.max(...safe.map((other) => other.summary.requestsPerSecond));
  return safe.length === 0 || best === 0 ? undefined : row.summary.requestsPerSecond / best;
}

/** The results as a Markdown table, one line per strategy and setting. */
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
      row.strategy,
      `${row.delayMs} ms`,
      String(row.connections),
      format(summary.requestsPerSecond),
      format(summary.latencyMs.p50, 1),
      format(summary.latencyMs.p99, 1),
      format(row.serverCpuMicrosPerRequest),
      `${format(summary.leaked)} / ${format(summary.successful + summary.leaked)}`,
      format(summary.leakPercent, 1),
      format(summary.availabilityPercent, 1),
      format(summary.errors + summary.non2xx),
      ratio === undefined ? '-' : `${format(ratio, 2)}x`,
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)),
  );
  const numeric = (column: number) => column >= 2;
  const cells = (line: readonly string[]) =>
    `| ${line.map((cell, column) => (numeric(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (numeric(column) ? `${'-'.repeat(width + 1)}:` : `:${'-'.repeat(width + 1)}`)).join('|')}|`;
  return [cells(header), rule, ...lines.map(cells)].join('\n');
}

function find(rows: readonly BenchRow[], strategy: string, delayMs: number, connections: number) {
  return rows.find((row) => row.strategy === strategy && row.delayMs === delayMs && row.connections === connections);
}

/** Judges the run against the benchmark's targets. */
export function checkTargets(result: BenchResult): TargetCheck[] {
  const { rows, memory } = result;
  const checks: TargetCheck[] = [];
  for (const connections of [10, 100]) {
    const current = find(rows, 'current', 0, connections);
    const als = find(rows, 'als', 0, connections);
    const ratio = current && als ? current.summary.requestsPerSecond / als.summary.requestsPerSecond : undefined;
    const cpu = current && als ? current.serverCpuMicrosPerRequest / als.serverCpuMicrosPerRequest : undefined;
    checks.push({
      target: `current >= 0.97x als at 0 ms IO, ${connections} connections`,
      measured:
        ratio === undefined || cpu === undefined
          ? 'not measured'
          : `${format(ratio, 3)}x req/s (server CPU per request: ${format(cpu, 2)}x of als)`,
      met: ratio === undefined ? undefined : ratio >= 0.97,
    });
  }
  const current = find(rows, 'current', 10, 10);
  const global = find(rows, 'global', 10, 10);
  const locked = find(rows, 'global-lock', 10, 10);
  const vsGlobal = current && global ? current.summary.requestsPerSecond / global.summary.requestsPerSecond : undefined;
  checks.push({
    target: 'current >= 0.9x global at 10 ms IO, 10 connections',
    measured: vsGlobal === undefined ? 'not measured' : `${format(vsGlobal, 3)}x`,
    met: vsGlobal === undefined ? undefined : vsGlobal >= 0.9,
  });
  const lockedRatio =
    current && locked ? locked.summary.requestsPerSecond / current.summary.requestsPerSecond : undefined;
  checks.push({
    target: 'global-lock near 1/10 of current at 10 ms IO, 10 connections (0.07x to 0.13x)',
    measured: lockedRatio === undefined ? 'not measured' : `${format(lockedRatio, 3)}x`,
    met: lockedRatio === undefined ? undefined : lockedRatio >= 0.07 && lockedRatio <= 0.13,
  });
  checks.push({
    target: 'global leaks in more than half of its responses at 10 ms IO, 10 connections',
    measured: global ? `${format(global.summary.leakPercent, 1)} %` : 'not measured',
    met: global ? global.summary.leakPercent > 50 : undefined,
  });
  for (const strategy of ['current', 'global-lock']) {
    const measured = rows.filter((row) => row.strategy === strategy);
    const leaked = measured.reduce((sum, row) => sum + row.summary.leaked, 0);
    checks.push({
      target: `${strategy} leaks nothing, at every setting`,
      measured: measured.length === 0 ? 'not measured' : `${format(leaked)} leaked in ${measured.length} runs`,
      met: measured.length === 0 ? undefined : leaked === 0,
    });
  }
  checks.push({
    target: 'current heap after the long run within 5 % of before',
    measured: memory
      ? `${format(memory.heapBeforeBytes / 2 ** 20, 1)} MiB -> ${format(memory.heapAfterBytes / 2 ** 20, 1)} MiB ` +
        `(${memory.changePercent >= 0 ? '+' : ''}${format(memory.changePercent, 1)} %) after ${format(memory.requests)} requests`
      : 'not measured',
    met: memory ? Math.abs(memory.changePercent) <= 5 && memory.leaked === 0 : undefined,
  });
  return checks;
}

export function renderTargets(checks: readonly TargetCheck[]): string {
  return checks
    .map(({ target, measured, met }) => `${met === undefined ? '  -' : met ? 'met' : 'MISSED'}  ${target}: ${measured}`)
    .join('\n');
}

export function renderMachine(result: BenchResult): string {
  const { machine, settings } = result;
  return [
    `Servers on Node ${machine.serverNode} (load driven by Node ${machine.driverNode}), ${machine.cpuCount} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.platform}`,
    `Load average at start: ${machine.loadAverage.join(', ')}. Each strategy and setting: ${settings.warmupSeconds} s warm-up, ` +
      `then ${settings.rounds} rounds of ${settings.durationSeconds} s interleaved with the other strategies; medians shown, leaks summed.`,
  ].join('\n');
}
