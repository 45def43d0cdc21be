import {
  assertNoLostUpdates,
  assertNoOverlap,
  assertNotOversold,
  assertOwnContext,
  InvariantError,
  trackConcurrency,
} from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';

describe('invariants', () => {
  test('trackConcurrency counts callers inside at once and flags an overlap', async () => {
    const section = trackConcurrency();
    const pause = () => new Promise((resolve) => setImmediate(resolve));
    await Promise.all([section.run(pause), section.run(pause)]);
    expect(section.maxConcurrent).toBe(2);
    expect(() => section.assertNoOverlap()).toThrow(
      'Critical sections overlapped: up to 2 callers were inside at once, expected 1.',
    );
    const serial = trackConcurrency();
    await serial.run(pause);
    await serial.run(pause);
    serial.assertNoOverlap();
  });

  test('assertNoOverlap accepts touching intervals and names overlapping ones', () => {
    assertNoOverlap([
      [5, 9],
      [0, 5],
    ]);
    expect(() =>
      assertNoOverlap([
        [0, 5],
        [4, 8],
      ]),
    ).toThrow('Intervals overlap: [0, 5] and [4, 8]');
  });

  test('assertNotOversold, assertNoLostUpdates and assertOwnContext say what they found', () => {
    expect(() => assertNotOversold({ stock: 3, sold: 4 })).toThrow(
      'Oversold: 4 sold from a stock of 3, 1 more than there was.',
    );
    assertNotOversold({ stock: 3, sold: 3 });
    expect(() => assertNoLostUpdates({ what: 'visits', expected: 10, actual: 7 })).toThrow(
      'Lost updates to visits: expected 10, got 7 (3 of 10 lost).',
    );
    expect(() =>
      assertOwnContext([
        { expected: 'a', seen: 'a' },
        { expected: 'b', seen: 'a' },
      ]),
    ).toThrow(InvariantError);
    expect(() => assertOwnContext([{ expected: 'b', seen: 'a' }])).toThrow(
      `1 of 1 saw another request's context: expected "b", saw "a".`,
    );
  });
});
