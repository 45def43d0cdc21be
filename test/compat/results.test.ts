import { describe, expect, test } from 'vitest';
import { cellText } from './harness/page.js';
import { classify, type Verdict, verdictOf, worse } from './harness/reads.js';
import { baselineOf, failuresAgainst, type MatrixResults } from './harness/results.js';
import type { RowResult } from './harness/run-row.js';

function result(verdict: Verdict, reads = { ok: 1, lost: 0, wrong: 0 }): RowResult {
  const one = { verdict, reads };
  return { id: 'x', verdict, reads, cases: { finished: one, running: one } };
}

function run(rows: Array<{ id: string; fix?: string; verdict: Verdict }>): MatrixResults {
  return {
    finishedAt: '2026-01-01T00:00:00.000Z',
    wallTimeMs: 1,
    concurrency: 6,
    runtimes: [{ id: 'node20', label: 'Node 20', version: 'v20.0.0', flags: [] }],
    rows: rows.map(({ id, fix, verdict }) => ({
      id,
      library: 'lib',
      packageName: 'lib',
      version: '1.0.0',
      mode: 'used',
      ...(fix === undefined ? {} : { fix }),
      results: { node20: result(verdict) },
    })),
  };
}

describe('the classification of a read and of a cell', () => {
  test('calls a read ok, lost or wrong by whose request id it saw', () => {
    expect([classify(3, 3), classify(3, undefined), classify(3, 4)]).toEqual(['ok', 'lost', 'wrong']);
  });

  test('gives a cell its worst read, and a row the worse of its two cases', () => {
    expect(verdictOf({ ok: 9, lost: 1, wrong: 0 })).toBe('lost');
    expect(verdictOf({ ok: 9, lost: 5, wrong: 1 })).toBe('wrong');
    expect([worse('lost', 'wrong'), worse('ok', 'lost'), worse('wrong', 'error')]).toEqual(['wrong', 'lost', 'error']);
  });

  test('shows a cell as its verdict and how many of its reads saw it', () => {
    expect(cellText(result('wrong', { ok: 8, lost: 0, wrong: 6 }))).toBe('**wrong 6/14**');
    expect(cellText(result('ok', { ok: 14, lost: 0, wrong: 0 }))).toBe('ok 14/14');
  });
});

describe('the check against the baseline', () => {
  const baseline = { 'lib/a': { node20: 'ok' }, 'lib/b': { node20: 'lost' }, 'lib/b+fix': { node20: 'ok' } } as const;

  test('passes a run that matches the baseline', () => {
    const matching = run([
      { id: 'lib/a', verdict: 'ok' },
      { id: 'lib/b', verdict: 'lost' },
      { id: 'lib/b+fix', fix: 'bind(callback)', verdict: 'ok' },
    ]);
    expect(failuresAgainst(matching, baseline)).toEqual([]);
    expect(baselineOf(matching)).toEqual(baseline);
  });

  test('fails an ok cell that turned wrong, a fixed row that is not ok, and a cell that could not be measured', () => {
    const failures = failuresAgainst(
      run([
        { id: 'lib/a', verdict: 'wrong' },
        { id: 'lib/b', verdict: 'error' },
        { id: 'lib/b+fix', fix: 'bind(callback)', verdict: 'lost' },
      ]),
      baseline,
    );
    expect(failures).toHaveLength(3);
    expect(failures[0]).toContain('lib/a on node20: regressed from ok to wrong');
    expect(failures[1]).toContain('lib/b on node20: could not be measured');
    expect(failures[2]).toContain('lib/b+fix on node20: the fixed row is lost, it must be ok');
  });

  test('fails a red cell that no longer reproduces, and a cell with no baseline, each saying what to do', () => {
    const failures = failuresAgainst(
      run([
        { id: 'lib/b', verdict: 'ok' },
        { id: 'lib/new', verdict: 'ok' },
      ]),
      baseline,
    );
    expect(failures[0]).toContain('lib/b on node20: changed from lost to ok');
    expect(failures[1]).toContain('no baseline; run `npm run compat -- --update-baseline`');
  });
});
