import type { ProbeResult, ProbeVerdict } from '../probes/run-probes.js';
import type { AppName, AppResult } from './apps.js';
import type { Runtime } from './launch.js';

/** One runtime's run: its version, the context-loss suite's results and each app's reads. */
export interface RuntimeRun {
  readonly runtime: Runtime;
  readonly version: string;
  readonly probes: readonly ProbeResult[] | { readonly error: string };
  readonly apps: readonly AppResult[];
  readonly seconds: number;
}

export interface RuntimesResults {
  readonly finishedAt: string;
  /** Concurrent requests per route per app. */
  readonly amount: number;
  readonly runs: readonly RuntimeRun[];
}

/** An app's verdict: every request read its own user and no two held the lock (`ok`), else the worst seen. */
export type AppVerdict = 'ok' | 'lost' | 'wrong' | 'failed' | 'unsupported';

export function appVerdict(result: AppResult): AppVerdict {
  if ('error' in result) return 'unsupported';
  const { wrong, overlaps, lost, failed } = result.reads;
  if (wrong > 0 || overlaps > 0) return 'wrong';
  if (lost > 0) return 'lost';
  return failed > 0 ? 'failed' : 'ok';
}

/** The verdicts CI holds a run to: `runtime` → `probe:<id>` or `app:<name>` → verdict. */
export type Baseline = Record<string, Record<string, ProbeVerdict | AppVerdict>>;

export function baselineOf(results: RuntimesResults): Baseline {
  return Object.fromEntries(
    results.runs.map((run) => [
      run.runtime,
      Object.fromEntries([
        ...('error' in run.probes ? [] : run.probes.map((probe) => [`probe:${probe.id}`, probe.verdict])),
        ...run.apps.map((app) => [`app:${app.app satisfies AppName}`, appVerdict(app)]),
      ]),
    ]),
  );
}

/**
 * What differs from the baseline, one line each; and every app that let a
 * request read another's user or two holders into the lock, which no
 * baseline excuses.
 */
export function failuresAgainst(results: RuntimesResults, baseline: Baseline): string[] {
  const now = baselineOf(results);
  const failures: string[] = [];
  for (const run of results.runs) {
    if ('error' in run.probes) failures.push(`${run.runtime}: the context-loss suite did not run: ${run.probes.error}`);
    for (const app of run.apps) {
      if (appVerdict(app) === 'wrong') failures.push(`${run.runtime} ${app.app}: ${JSON.stringify(app)}`);
    }
    const expected = baseline[run.runtime] ?? {};
    for (const [key, verdict] of Object.entries(now[run.runtime] ?? {})) {
      if (expected[key] !== verdict)
        failures.push(`${run.runtime} ${key}: ${verdict}, baseline ${expected[key] ?? 'none'}`);
    }
  }
  return failures;
}
