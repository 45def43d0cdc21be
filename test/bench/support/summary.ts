import type { LoadSummary } from 'current-attributes/testing';

/** A load summary of 1000 answers, for report tests. */
export function summaryOf(requestsPerSecond: number, leaked = 0, p50 = 1): LoadSummary {
  return {
    transactions: 1000,
    successful: 1000 - leaked,
    leaked,
    unmatched: 0,
    failed: 0,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    availabilityPercent: 100,
    leakPercent: leaked / 10,
    requestsPerSecond,
    elapsedSeconds: 1,
    latencyMs: { mean: p50, p50, p90: p50 + 1, p99: p50 + 2, max: p50 + 3 },
  };
}
