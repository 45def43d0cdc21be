import type { LoadSummary } from 'current-attributes/testing';

/** One measurement round of a strategy at a setting. */
export interface Sample {
  readonly summary: LoadSummary;
  /** CPU time of the server process per answered request, in µs. */
  readonly serverCpuMicrosPerRequest: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Combines the rounds of one strategy at one setting: counts add up (every
 * leak of every round counts), rates and latencies are the median round's,
 * so one disturbed round does not move the result.
 */
export function combineSamples(samples: readonly Sample[]): Sample {
  const byRate = [...samples].sort((a, b) => a.summary.requestsPerSecond - b.summary.requestsPerSecond);
  const middle = byRate[Math.floor((byRate.length - 1) / 2)] as Sample;
  const sum = (pick: (summary: LoadSummary) => number) =>
    samples.reduce((total, { summary }) => total + pick(summary), 0);
  const successful = sum((s) => s.successful);
  const leaked = sum((s) => s.leaked);
  const unmatched = sum((s) => s.unmatched);
  const failed = sum((s) => s.failed);
  const ok = successful + leaked + unmatched;
  return {
    summary: {
      transactions: sum((s) => s.transactions),
      successful,
      leaked,
      unmatched,
      failed,
      non2xx: sum((s) => s.non2xx),
      errors: sum((s) => s.errors),
      timeouts: sum((s) => s.timeouts),
      availabilityPercent: ok + failed === 0 ? 0 : (100 * ok) / (ok + failed),
      leakPercent: ok === 0 ? 0 : (100 * leaked) / ok,
      requestsPerSecond: median(samples.map(({ summary }) => summary.requestsPerSecond)),
      elapsedSeconds: sum((s) => s.elapsedSeconds),
      latencyMs: middle.summary.latencyMs,
    },
    serverCpuMicrosPerRequest: median(samples.map((sample) => sample.serverCpuMicrosPerRequest)),
  };
}

/** The middle and the extremes of values measured once per round. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** How many rounds the values come from. */
  readonly rounds: number;
}

/**
 * The median, lowest and highest of values measured once per round.
 *
 * @example
 * ```ts
 * spreadOf([1.1, 0.9, 1]); // { median: 1, min: 0.9, max: 1.1, rounds: 3 }
 * ```
 */
export function spreadOf(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), rounds: values.length };
}

/**
 * The ratio of `a` to `b` in each round, of the value `pick` takes. Rounds are
 * paired by number: round n of every strategy ran back to back, so the
 * machine's drift between rounds cancels in each ratio.
 *
 * @example
 * ```ts
 * roundRatios(currentRow, alsRow); // [0.98, 1.01, 0.99, ...]: current's req/s over als's, round by round
 * ```
 */
export function roundRatios(
  a: { readonly rounds: readonly Sample[] },
  b: { readonly rounds: readonly Sample[] },
  pick: (sample: Sample) => number = (sample) => sample.summary.requestsPerSecond,
): number[] {
  const count = Math.min(a.rounds.length, b.rounds.length);
  return Array.from({ length: count }, (_, round) => {
    const below = pick(b.rounds[round] as Sample);
    return below === 0 ? Number.NaN : pick(a.rounds[round] as Sample) / below;
  }).filter((ratio) => !Number.isNaN(ratio));
}
