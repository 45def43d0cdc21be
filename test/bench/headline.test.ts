import { describe, expect, test } from 'vitest';
import { headlines } from '../../bench/headline.js';
import { resultOf, row } from './support/result.js';

const five = (rate: number) => [rate, rate, rate, rate, rate];

describe("the benchmark's headline", () => {
  test('names each strategy that leaked with its share of answers, and current against the lock at the longest IO', () => {
    const rows = [
      row('express', 'global', 0, 10, five(11_000), 900),
      row('express', 'global', 10, 10, five(850), 1000),
      row('express', 'global-lock', 10, 10, five(92)),
      row('express', 'global-lock', 10, 100, five(91)),
      row('express', 'current', 10, 10, five(857)),
      row('express', 'current', 10, 100, five(6718)),
    ];
    expect(headlines(resultOf(rows))).toEqual([
      "global leaked 95% of its answers, every other strategy none; at 10 ms IO and 100 connections current served 6,718 req/s, 74x global-lock's 91.",
    ]);
  });

  test('says when nothing leaked, and leaves out the comparison without IO or without the lock', () => {
    const rows = [row('express', 'current', 0, 10, five(11_000)), row('express', 'global-lock', 0, 10, five(7000))];
    expect(headlines(resultOf(rows))).toEqual(['No strategy leaked an answer.']);
  });

  test('never rounds a leak to 0%, and names a leak through current as plainly as the global’s', () => {
    const rows = [
      row('express', 'current', 10, 10, [857, 857, 857, 857, 857], 1),
      row('express', 'global', 10, 10, five(850), 1000),
    ];
    const [line] = headlines(resultOf(rows));
    expect(line).toBe('global leaked 100% of its answers, current leaked under 1% of its answers.');
  });

  test('gives each framework its line when the run has several', () => {
    const rows = [row('express', 'current', 0, 10, five(11_000)), row('koa', 'global', 0, 10, five(9000), 500)];
    expect(headlines(resultOf(rows, { frameworks: ['express', 'koa'] }))).toEqual([
      'express: no strategy leaked an answer.',
      'koa: global leaked 50% of its answers.',
    ]);
  });
});
