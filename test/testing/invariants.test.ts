import { InvalidArgumentError } from 'current-attributes';
import {
  assertNoLostUpdates,
  assertNoOverlap,
  assertNotOversold,
  assertOwnContext,
  InvariantError,
} from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';

describe('invariants', () => {
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

describe('invariants given something other than numbers', () => {
  test('refuse it with a message naming the field, so a typo cannot turn a red test green', () => {
    expect(() => assertNotOversold({ stock: 3, sold: undefined as never })).toThrow(
      new InvalidArgumentError('Expected `sold` to be a number, got `undefined` (undefined).'),
    );
    expect(() => assertNotOversold({ stock: '3' as never, sold: '10' as never })).toThrow(
      new InvalidArgumentError('Expected `stock` to be a number, got `3` (string).'),
    );
    expect(() => assertNotOversold({ stock: 3, sold: Number.NaN })).toThrow(
      new InvalidArgumentError('Expected `sold` to be a number, got `NaN` (number).'),
    );
    expect(() => assertNoLostUpdates({ expected: undefined as never, actual: undefined as never })).toThrow(
      new InvalidArgumentError('Expected `expected` to be a number, got `undefined` (undefined).'),
    );
    expect(() => assertNoLostUpdates({ expected: 20, actual: '20' as never })).toThrow(
      new InvalidArgumentError('Expected `actual` to be a number, got `20` (string).'),
    );
    expect(() => assertNoOverlap([[0, '5' as never]])).toThrow(
      new InvalidArgumentError('Expected `intervals[0]` to be a pair of numbers [start, end], got `0,5` (array).'),
    );
  });
});
