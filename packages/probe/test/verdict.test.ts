import { describe, expect, test } from 'vitest';
import { summaryOf } from '../../../test/bench/support/summary.js';
import type { ProbeResult, ProbeRun } from '../src/run.js';
import { probeVerdict } from '../src/verdict.js';

const run = (leaked: number, more: Partial<ProbeRun['summary']> = {}): ProbeRun => ({
  phase: 'measured',
  connections: 10,
  complete: true,
  summary: { ...summaryOf(100, leaked), ...more },
});
const result = (runs: ProbeRun[], interrupted = false): ProbeResult => ({
  startedAt: '',
  finishedAt: '',
  interrupted,
  runs,
  leaks: [],
  unmatched: [],
});

describe('the verdict of a probe', () => {
  test('is a leak, exit 1, when any run leaked, even when Ctrl-C stopped it', () => {
    expect(probeVerdict(result([run(0), run(3)], true))).toEqual({
      kind: 'leaked',
      exitCode: 1,
      text: "LEAK: 3 of 2,000 checked answers carried another user's value.",
    });
  });

  test('is an interruption, exit 130, when Ctrl-C stopped a probe that saw no leak', () => {
    expect(probeVerdict(result([run(0)], true))).toMatchObject({ kind: 'interrupted', exitCode: 130 });
  });

  test('is inconclusive, exit 3, when no answer could be checked', () => {
    const failing = run(0, { successful: 0, failed: 40, non2xx: 40 });
    expect(probeVerdict(result([failing]))).toEqual({
      kind: 'inconclusive',
      exitCode: 3,
      text: 'Inconclusive: no answer could be checked (40 failed). Look at the server, or raise --timeout.',
    });
  });

  test('is no leak, exit 0, and still counts the answers that carried no user’s value', () => {
    expect(probeVerdict(result([run(0, { successful: 990, unmatched: 10 })]))).toEqual({
      kind: 'noLeak',
      exitCode: 0,
      text: "No leak: none of 1,000 checked answers carried another user's value. 10 carried no user's value: see them below.",
    });
  });
});
