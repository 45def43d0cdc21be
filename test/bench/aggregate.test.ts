import { describe, expect, test } from 'vitest';
import { combineSamples, median, roundRatios, spreadOf } from '../../bench/aggregate.js';
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

describe('the spread of a ratio over rounds', () => {
  test('pairs round n of one strategy with round n of the other', () => {
    const a = { rounds: [sample(900, 0, 1), sample(500, 0, 1), sample(1100, 0, 1)] };
    const b = { rounds: [sample(1000, 0, 1), sample(500, 0, 1), sample(1000, 0, 1)] };
    expect(roundRatios(a, b)).toEqual([0.9, 1, 1.1]);
  });

  test('leaves out a round the other strategy answered nothing in, and rounds it did not run', () => {
    const a = { rounds: [sample(900, 0, 1), sample(500, 0, 1), sample(700, 0, 1)] };
    const b = { rounds: [sample(0, 0, 1), sample(1000, 0, 1)] };
    expect(roundRatios(a, b)).toEqual([0.5]);
  });

  test('gives the median, the lowest and the highest, and how many rounds', () => {
    expect(spreadOf([1.1, 0.9, 1])).toEqual({ median: 1, min: 0.9, max: 1.1, rounds: 3 });
  });
});
