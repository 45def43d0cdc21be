import type { Verdict } from './reads.js';
import type { RowResult } from './run-row.js';

/** A runtime mode as it ran: its id, its column heading and the exact Node version. */
export interface RuntimeRun {
  readonly id: string;
  readonly label: string;
  readonly version: string;
  readonly flags: readonly string[];
}

/** One row with its result on each runtime mode that ran it. */
export interface MatrixRow {
  readonly id: string;
  readonly library: string;
  readonly packageName: string | undefined;
  readonly version: string;
  readonly mode: string;
  readonly fix?: string;
  readonly results: Readonly<Record<string, RowResult>>;
}

/** What `npm run compat` writes: the page is generated from it. */
export interface MatrixResults {
  readonly finishedAt: string;
  readonly wallTimeMs: number;
  readonly concurrency: number;
  readonly runtimes: readonly RuntimeRun[];
  readonly rows: readonly MatrixRow[];
}

/** The verdict of every row on every runtime mode that CI holds the run to: `baseline.json`. */
export type Baseline = Readonly<Record<string, Readonly<Record<string, Verdict>>>>;

/** The verdicts of a run, as a baseline. */
export function baselineOf(results: MatrixResults): Baseline {
  return Object.fromEntries(
    results.rows.map((row) => [
      row.id,
      Object.fromEntries(Object.entries(row.results).map(([id, r]) => [id, r.verdict])),
    ]),
  );
}

/**
 * What fails the run, one sentence each: an error; a fixed row that is not
 * ok; a cell whose verdict differs from the baseline (worse is a regression;
 * better means the forced interleaving no longer reproduces or the library
 * changed, and the baseline must be updated on purpose); a cell with no
 * baseline yet.
 */
export function failuresAgainst(results: MatrixResults, baseline: Baseline): string[] {
  const failures: string[] = [];
  for (const row of results.rows) {
    for (const [runtime, result] of Object.entries(row.results)) {
      const cell = `${row.id} on ${runtime}`;
      const expected = baseline[row.id]?.[runtime];
      if (result.verdict === 'error') {
        failures.push(`${cell}: could not be measured: ${firstError(result)}`);
      } else if (row.fix !== undefined && result.verdict !== 'ok') {
        failures.push(`${cell}: the fixed row is ${result.verdict}, it must be ok (${describe(result)})`);
      } else if (expected === undefined) {
        failures.push(`${cell}: no baseline; run \`npm run compat -- --update-baseline\` and commit baseline.json`);
      } else if (expected !== result.verdict) {
        const kind = rank(result.verdict) > rank(expected) ? 'regressed' : 'changed';
        failures.push(`${cell}: ${kind} from ${expected} to ${result.verdict} (${describe(result)})`);
      }
    }
  }
  return failures;
}

function rank(verdict: Verdict): number {
  return ['ok', 'lost', 'wrong', 'error'].indexOf(verdict);
}

function describe(result: RowResult): string {
  const { ok, lost, wrong } = result.reads;
  return `${ok + lost + wrong} reads: ${ok} ok, ${lost} lost, ${wrong} wrong`;
}

function firstError(result: RowResult): string {
  return result.cases.finished.error ?? result.cases.running.error ?? 'unknown error';
}
