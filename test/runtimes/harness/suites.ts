import { relative } from 'node:path';
import { type DifferenceId, differencesInName, KNOWN_DIFFERENCES } from '../differences.js';

/** Bun or Deno: the runtimes the vitest suites run inside (Node runs them in `npm test`). */
export type SuitesRuntime = 'bun' | 'deno';

/** The parts of vitest's JSON report (`--reporter=json`) that the runner reads. */
export interface VitestJsonReport {
  readonly testResults: readonly {
    readonly name: string;
    readonly status: string;
    readonly message?: string;
    readonly assertionResults: readonly {
      readonly fullName: string;
      readonly title: string;
      readonly status: string;
    }[];
  }[];
}

/** One test file's counts on one runtime. */
export interface SuiteFileResult {
  readonly file: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** A test skipped on purpose: the differences its name carries. */
export interface SkippedTest {
  readonly file: string;
  readonly title: string;
  readonly differences: readonly DifferenceId[];
}

export interface SuitesRun {
  readonly runtime: SuitesRuntime;
  readonly version: string;
  readonly seconds: number;
  readonly files: readonly SuiteFileResult[];
  readonly skipped: readonly SkippedTest[];
  /** What fails the run: a failed test or file, a test skipped with no known difference, vitest's own failure. */
  readonly problems: readonly string[];
}

export interface SuitesResults {
  readonly finishedAt: string;
  readonly runs: readonly SuitesRun[];
}

/**
 * Reads one runtime's report: the counts per file, the tests skipped for a
 * known difference of `runtime`, and every problem. A test skipped for any
 * other reason is a problem: with CI=true nothing may skip silently.
 */
export function readReport(
  report: VitestJsonReport,
  runtime: SuitesRuntime,
  root: string,
): Pick<SuitesRun, 'files' | 'skipped' | 'problems'> {
  const files: SuiteFileResult[] = [];
  const skipped: SkippedTest[] = [];
  const problems: string[] = [];
  const knownHere = (id: string): id is DifferenceId =>
    Object.hasOwn(KNOWN_DIFFERENCES, id) && KNOWN_DIFFERENCES[id as DifferenceId].runtime === runtime;
  for (const result of [...report.testResults].sort((a, b) => a.name.localeCompare(b.name))) {
    const file = relative(root, result.name);
    let passed = 0;
    let failed = 0;
    let skips = 0;
    for (const test of result.assertionResults) {
      if (test.status === 'passed') passed += 1;
      else if (test.status === 'failed') {
        failed += 1;
        problems.push(`${file}: "${test.fullName}" failed`);
      } else {
        skips += 1;
        const named = differencesInName(test.title);
        if (named === undefined || named.runtime !== runtime || !named.ids.every(knownHere)) {
          problems.push(`${file}: "${test.fullName}" was ${test.status} with no known difference of ${runtime}`);
        } else skipped.push({ file, title: named.name, differences: named.ids.filter(knownHere) });
      }
    }
    if (result.status === 'failed' && failed === 0) {
      problems.push(`${file}: ${(result.message ?? 'failed').split('\n')[0]}`);
    }
    files.push({ file, passed, failed, skipped: skips });
  }
  if (files.length === 0) problems.push('no test file ran');
  return { files, skipped, problems };
}
