import { readFile, writeFile } from 'node:fs/promises';
import { renderChart } from './chart/figure.js';
import { headlines } from './headline.js';
import { busyMachine, renderMachine, renderTable } from './report.js';
import type { BenchResult } from './run.js';
import type { TargetCheck } from './verdict.js';

/** Where `--publish` puts the chart and the run's section, from the repository's root. */
export const PUBLISHED = { chart: 'docs/benchmark.svg', page: 'docs/benchmarks.md' } as const;

const START = '<!-- bench:start: written by `npm run bench -- --publish`, never by hand -->';
const END = '<!-- bench:end -->';

/**
 * The run as the benchmark page shows it: the verdict, the chart, how long
 * the run took and on what machine (and a warning when the machine was busy),
 * and each framework's table.
 *
 * @example
 * ```ts
 * publishedSection(result, ['--publish']); // '**global leaked 84% of its answers, ...**\n\n![...](benchmark.svg)\n\n...'
 * ```
 */
export function publishedSection(result: BenchResult, args: readonly string[]): string {
  const { settings } = result;
  const seconds = Math.round((Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000);
  const took = `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const busy = busyMachine(result);
  return [
    headlines(result)
      .map((line) => `**${line}**`)
      .join('\\\n'),
    '![The latest run: req/s, p99 latency and leaks of each strategy, each context relative to the bare framework, the cost per request, and the targets](benchmark.svg)',
    `\`${commandOf(args)}\` on ${result.startedAt.slice(0, 10)}: ${settings.frameworks.join(', ')}, ` +
      `${took} from the first measurement to the last (the build before it not counted).` +
      (busy
        ? ` **The machine was busy** (a load average of ${busy.start} at the start and ${busy.end} at the end, on ${result.machine.cpuCount} cores): ` +
          'every server got a fraction of a core, and the req/s and latency figures moved with it. Leaks are counted exactly at any load; for speed, run again on a quiet machine.'
        : ''),
    `\`\`\`text\n${renderMachine(result)}\n\`\`\``,
    ...settings.frameworks.map((framework) => renderTable(result.rows.filter((row) => row.framework === framework))),
  ].join('\n\n');
}

/** The command that measures the same again: without `--publish` and `--out`, which change where results go, not what they are. */
function commandOf(args: readonly string[]): string {
  const kept = args.filter((arg, index) => arg !== '--publish' && arg !== '--out' && args[index - 1] !== '--out');
  return kept.length === 0 ? 'npm run bench' : `npm run bench -- ${kept.join(' ')}`;
}

/**
 * `page` with the text between its bench markers replaced by `section`.
 *
 * @throws {Error} when the page has not exactly one pair of markers: nothing is written then.
 * @example
 * ```ts
 * replaceSection(await readFile('docs/benchmarks.md', 'utf8'), publishedSection(result, ['--publish']));
 * ```
 */
export function replaceSection(page: string, section: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start === -1 || end < start || page.indexOf(START, start + 1) !== -1) {
    throw new Error(`Expected ${PUBLISHED.page} to hold one section between ${START} and ${END}.`);
  }
  return `${page.slice(0, start + START.length)}\n\n${section}\n\n${page.slice(end)}`;
}

/**
 * Writes the run's chart and its section of the benchmark page under `root`.
 *
 * @example
 * ```ts
 * await publish(new URL('../../', import.meta.url), result, checkTargets(result), ['--publish']);
 * ```
 */
export async function publish(
  root: URL,
  result: BenchResult,
  checks: readonly TargetCheck[],
  args: readonly string[],
): Promise<void> {
  const page = new URL(PUBLISHED.page, root);
  const updated = replaceSection(await readFile(page, 'utf8'), publishedSection(result, args));
  await writeFile(new URL(PUBLISHED.chart, root), renderChart(result, checks));
  await writeFile(page, updated);
}
