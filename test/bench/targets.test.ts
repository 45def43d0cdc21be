import { describe, expect, test } from 'vitest';
import type { CostApp } from '../../bench/cost/apps.js';
import { checkCostTargets } from '../../bench/cost/report.js';
import type { CostRun } from '../../bench/cost.js';
import { renderTargets } from '../../bench/report.js';
import { checkTargets, type TargetCheck } from '../../bench/targets.js';
import { memoryOf, resultOf, row } from './support/result.js';

const find = (checks: readonly TargetCheck[], start: string) =>
  checks.find((check) => check.target.startsWith(start)) as TargetCheck;

const alsAt100 = row('express', 'als', 0, 100, [1000, 1000, 1000, 1000, 1000]);

describe('judging the targets on the spread of the rounds', () => {
  test('gives no verdict when the rounds of current against als disagree', () => {
    // The median round is below 0.97x, as a single noisy round once was; two rounds are above it.
    const current = row('express', 'current', 0, 100, [917, 990, 940, 1010, 930]);
    const check = find(checkTargets(resultOf([current, alsAt100])), 'current >= 0.97x als in req/s at 0 ms IO, 100');
    expect(check.verdict).toBe('no verdict');
    expect(check.measured).toBe('0.940x (0.917x to 1.010x over 5 rounds)');
  });

  test('misses a target only when every round misses it, and meets it only when every round meets it', () => {
    const slow = row('express', 'current', 0, 100, [900, 950, 940, 930, 960]);
    const fast = row('express', 'current', 0, 100, [980, 1000, 990, 1020, 975]);
    const target = 'current >= 0.97x als in req/s at 0 ms IO, 100';
    expect(find(checkTargets(resultOf([slow, alsAt100])), target).verdict).toBe('missed');
    expect(find(checkTargets(resultOf([fast, alsAt100])), target).verdict).toBe('met');
  });

  test('pairs each round with the same round of the other strategy, so drift of the machine cancels', () => {
    // The machine slows down round by round; current is 0.99x of als in every one of them.
    const rates = [1000, 800, 600, 400, 200];
    const als = row('express', 'als', 0, 100, rates);
    const current = row(
      'express',
      'current',
      0,
      100,
      rates.map((rate) => rate * 0.99),
    );
    const check = find(checkTargets(resultOf([current, als])), 'current >= 0.97x als in req/s at 0 ms IO, 100');
    expect(check).toMatchObject({ verdict: 'met', measured: '0.990x (0.990x to 0.990x over 5 rounds)' });
  });

  test('judges nothing on fewer than five rounds, however clear they look', () => {
    const current = row('express', 'current', 0, 100, [500, 500, 500]);
    const als = row('express', 'als', 0, 100, [1000, 1000, 1000]);
    const check = find(checkTargets(resultOf([current, als])), 'current >= 0.97x als in req/s at 0 ms IO, 100');
    expect(check.verdict).toBe('no verdict');
  });

  test("judges current's overhead over the bare framework against its peer's, round by round", () => {
    const rounds = (rate: number) => [rate, rate * 0.98, rate * 1.02, rate, rate * 0.99];
    const rows = [10, 100].flatMap((connections) => [
      row('express', 'bare', 0, connections, rounds(1000)),
      row('express', 'current', 0, connections, rounds(960)),
      row('express', 'peer', 0, connections, rounds(900)),
    ]);
    const check = find(checkTargets(resultOf(rows)), "current's overhead over bare express");
    expect(check.target).toBe(
      "current's overhead over bare express smaller than express-http-context's (req/s at 0 ms IO, 10 or more connections)",
    );
    expect(check.verdict).toBe('met');
    expect(check.measured).toBe(
      'current 0.960x (0.960x to 0.960x over 10 rounds) of bare, express-http-context 0.900x (0.900x to 0.900x over 10 rounds)',
    );
  });

  test('has no peer target on a framework without a peer', () => {
    const rows = [row('koa', 'bare', 0, 10, [1000]), row('koa', 'current', 0, 10, [990])];
    const checks = checkTargets(resultOf(rows, { frameworks: ['koa'] }));
    expect(checks.some((check) => check.target.includes('overhead'))).toBe(false);
  });
});

describe('the leak targets', () => {
  test('fail the run when current or global-lock leaked; the goals do not', () => {
    const rows = [
      row('express', 'current', 0, 10, [1000, 1000, 1000, 1000, 1000], 2),
      row('express', 'global-lock', 0, 10, [100, 100, 100, 100, 100]),
      row('express', 'global', 10, 10, [800, 800, 800, 800, 800], 900),
    ];
    const checks = checkTargets(resultOf(rows, { memory: [memoryOf('express', 9)] }));
    expect(find(checks, 'current leaks nothing')).toMatchObject({
      verdict: 'missed',
      failsRun: true,
      measured: '10 of 5,000 answers leaked',
    });
    expect(find(checks, 'global-lock leaks nothing')).toMatchObject({ verdict: 'met', failsRun: true });
    expect(find(checks, 'global leaks in more than half')).toMatchObject({ verdict: 'met', failsRun: false });
    expect(find(checks, 'current heap')).toMatchObject({ verdict: 'missed', failsRun: false });
  });
});

describe('the cost targets', () => {
  const cost = (unit: CostRun['unit'], current: number, als: number): CostRun => ({
    unit,
    requests: [1000, 4000],
    connections: 10,
    figures: [
      { framework: 'express', strategy: 'current', unit, perRequest: current },
      { framework: 'express', strategy: 'als', unit, perRequest: als },
    ],
  });

  test('judge current against als on instructions, and say so', () => {
    const check = find(
      checkTargets(resultOf([], { cost: cost('instructions', 650_200, 614_700) })),
      'current within 2%',
    );
    expect(check).toMatchObject({
      target: 'current within 2% of als in instructions per request on the event loop, counted by valgrind',
      measured: '1.058x: 650.2k instructions against 614.7k instructions',
      verdict: 'missed',
    });
  });

  test('say they used CPU time when valgrind is not installed', () => {
    const check = find(checkTargets(resultOf([], { cost: cost('cpu-microseconds', 40, 50) })), 'current within 2%');
    expect(check.target).toBe('current within 2% of als in server CPU time per request (valgrind is not installed)');
    expect(check.verdict).toBe('met');
  });

  test('give no verdict closer to the limit than two counts of the same code repeat to', () => {
    const check = find(
      checkTargets(resultOf([], { cost: cost('instructions', 1_030_000, 1_000_000) })),
      'current within 2%',
    );
    expect(check.verdict).toBe('no verdict');
  });

  test('of bench:cost are judged by the same rule as those of the benchmark', () => {
    const figure = (app: CostApp, perRequest: number) => ({
      app,
      unit: 'instructions' as const,
      perRequest,
      rounds: [perRequest],
      allThreads: { perRequest, rounds: [perRequest] },
    });
    expect(
      checkCostTargets([
        figure('als', 1_000_000),
        figure('current', 1_029_000),
        figure('async-mutex', 1_000_000),
        figure('global-lock', 1_200_000),
        figure('keyed-lock', 960_000),
      ]),
    ).toEqual([
      '- current within 2% of als: 1.029x on the event loop, no verdict; 1.029x on all threads',
      '- global-lock within 5% of async-mutex: 1.200x on the event loop, MISSED; 1.200x on all threads',
      '- keyed-lock within 5% of async-mutex: 0.960x on the event loop, met; 0.960x on all threads',
    ]);
  });
});

describe('the targets as printed', () => {
  test('say what a miss means and why there is no verdict, and leave out what was not measured', () => {
    const rows = [
      row('express', 'current', 0, 100, [900, 950, 940, 930, 960]),
      row('express', 'als', 0, 10, [1000, 1000, 1000, 1000, 1000]),
      row('express', 'current', 0, 10, [990, 960, 1000, 950, 1000]),
      alsAt100,
    ];
    const text = renderTargets(checkTargets(resultOf(rows)));
    expect(text).toContain(
      'MISSED      express: current >= 0.97x als in req/s at 0 ms IO, 100 connections: 0.940x (0.900x to 0.960x over 5 rounds)\n' +
        '            Every round served current at less than 0.97x of raw AsyncLocalStorage',
    );
    expect(text).toContain(
      'no verdict  express: current >= 0.97x als in req/s at 0 ms IO, 10 connections: 0.990x (0.950x to 1.000x over 5 rounds)\n' +
        '            The rounds disagree',
    );
    expect(text).not.toContain('not measured');
    expect(text).toContain('A missed leak target is a bug and fails the run (exit code 1)');
  });
});
