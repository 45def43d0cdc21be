import { describe, expect, test } from 'vitest';
import { combineSamples, median } from '../../bench/aggregate.js';
import { summaryOf } from './support/summary.js';

function sample(requestsPerSecond: number, leaked: number, p50: number) {
  return {
    summary: { ...summaryOf(requestsPerSecond, leaked, p50), transactions: 100, successful: 100 - leaked },
    serverCpuMicrosPerRequest: requestsPerSecond / 100,
  };
}

describe('combining the rounds of a measurement', () => {
  test('takes the median rate and the latency of the median round, and adds up every leak', () => {
    const combined = combineSamples([sample(900, 1, 3), sample(1000, 0, 2), sample(400, 2, 9)]);
    expect(combined.summary).toMatchObject({
      requestsPerSecond: 900,
      transactions: 300,
      leaked: 3,
      successful: 297,
      leakPercent: 1,
      latencyMs: { p50: 3 },
    });
    expect(combined.serverCpuMicrosPerRequest).toBe(9);
  });

  test('computes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});
