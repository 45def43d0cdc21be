import type { PreparedProbe } from './prepare.js';
import type { AnswerExample, ProbeResult, ProbeRun } from './run.js';
import { probeVerdict } from './verdict.js';

const number = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const COLUMNS: readonly [title: string, cell: (run: ProbeRun) => string][] = [
  [
    'connections',
    ({ connections, phase, complete }) =>
      `${connections}${phase === 'warm-up' ? ' (warm-up)' : ''}${complete ? '' : ' (stopped)'}`,
  ],
  ['transactions', ({ summary }) => number(summary.transactions)],
  ['availability', ({ summary }) => `${number(summary.availabilityPercent, 1)} %`],
  ['successful', ({ summary }) => number(summary.successful)],
  ['leaked', ({ summary }) => number(summary.leaked)],
  ['leak %', ({ summary }) => number(summary.leakPercent, 1)],
  ['unmatched', ({ summary }) => number(summary.unmatched)],
  ['failed', ({ summary }) => number(summary.failed)],
  ['req/s', ({ summary }) => number(summary.requestsPerSecond)],
  ['p50 ms', ({ summary }) => number(summary.latencyMs.p50, 1)],
  ['p99 ms', ({ summary }) => number(summary.latencyMs.p99, 1)],
];

/**
 * The result as a person reads it: what was probed, a table in siege's
 * vocabulary with the leaks, the verdict, and the first leaked and unmatched
 * answers in full.
 *
 * @example
 * ```ts
 * process.stdout.write(renderProbeReport(probe, await runProbe(probe)));
 * ```
 */
export function renderProbeReport(probe: PreparedProbe, result: ProbeResult): string {
  const { settings, rule, identities, source } = probe;
  const cells = result.runs.map((run) => COLUMNS.map(([, cell]) => cell(run)));
  const widths = COLUMNS.map(([title], column) =>
    Math.max(title.length, ...cells.map((row) => row[column]?.length ?? 0)),
  );
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  const table = [
    line(COLUMNS.map(([title]) => title)),
    `|${widths.map((width, column) => (column === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`,
    ...cells.map(line),
  ];
  return [
    `Probed ${settings.request.method} ${settings.url} as ${number(identities.length)} users from ${source}, ` +
      `each answer read by ${rule.description} and compared with --expect ${settings.request.expect}.`,
    '',
    ...table,
    '',
    probeVerdict(result).text,
    ...examples('Leaked answers', result.leaks, source),
    ...examples('Answers that carried no user’s value', result.unmatched, source),
    '',
  ].join('\n');
}

function examples(title: string, shown: readonly AnswerExample[], source: string): string[] {
  if (shown.length === 0) return [];
  // A generated user is its number; a user from a file is also its line there.
  const where = ({ label }: { label: string }) => (label.startsWith('line') ? ` (${label} of ${source})` : '');
  return [
    '',
    `${title} (the first ${shown.length}):`,
    ...shown.flatMap((example, index) => {
      const { askedBy, carried, carriedFrom, request } = example;
      const whose = carriedFrom
        ? `the value of user ${carriedFrom.user}${where(carriedFrom)}`
        : carried === undefined
          ? 'nothing the rule could read'
          : 'a value no user expects';
      return [
        '',
        `${index + 1}. User ${askedBy.user}${where(askedBy)} asked, expecting \`${askedBy.expected}\`, ` +
          `at ${example.connections} connection${example.connections === 1 ? '' : 's'}${example.phase === 'warm-up' ? ' (warm-up)' : ''}:`,
        `   ${request.method} ${request.path}`,
        ...Object.entries(request.headers).map(([name, value]) => `   ${name}: ${value}`),
        ...(request.body === undefined ? [] : [`   ${request.body}`]),
        `   The answer (${example.status}) carried ${carried === undefined ? '' : `\`${carried}\`, `}${whose}:`,
        ...`${example.body}${example.truncated ? '... (cut)' : ''}`.split('\n').map((text) => `   ${text}`),
      ];
    }),
  ];
}

/**
 * The result for machines (`--json`): the probe's settings, every run's
 * summary, the examples and the verdict with its exit code.
 *
 * @example
 * ```ts
 * process.stdout.write(`${JSON.stringify(probeJson(probe, result), null, 2)}\n`);
 * ```
 */
export function probeJson(probe: PreparedProbe, result: ProbeResult) {
  const { settings, rule, identities, source } = probe;
  return {
    target: { url: settings.url, origin: settings.origin, ...settings.request, rule: rule.description },
    identities: { source, count: identities.length },
    settings: {
      connections: settings.connections,
      durationSeconds: settings.durationSeconds,
      requests: settings.requests ?? null,
      ratePerSecond: settings.ratePerSecond ?? null,
      warmupSeconds: settings.warmupSeconds,
      timeoutSeconds: settings.timeoutSeconds,
    },
    ...result,
    verdict: probeVerdict(result),
  };
}
