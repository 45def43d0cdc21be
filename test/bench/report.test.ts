import { describe, expect, test } from 'vitest';
import { ratioToBestSafe, renderMachine, renderTable } from '../../bench/report.js';
import { renderCostTable, renderOverheadTable } from '../../bench/summaries.js';
import { resultOf, row } from './support/result.js';

const rows = [
  row('express', 'global', 10, 10, [1000], 600),
  row('express', 'global-lock', 10, 10, [95]),
  row('express', 'peer', 10, 10, [960]),
];

describe('the benchmark report', () => {
  test('compares each row with the fastest strategy that leaked nothing on the same framework and setting', () => {
    const other = row('fastify', 'bare', 10, 10, [5000]);
    expect(ratioToBestSafe(rows[0] as never, [...rows, other])).toBeCloseTo(1000 / 960);
    expect(ratioToBestSafe(rows[1] as never, [...rows, other])).toBeCloseTo(95 / 960);
  });

  test('renders one line per row, the peer by its name, every number in one format', () => {
    expect(renderTable(rows).split('\n')).toEqual([
      '| strategy             | IO    | conns | req/s | p50 ms | p99 ms | CPU µs/req |      leaked | leak % | avail % | errors | vs best safe |',
      '|:---------------------|:------|------:|------:|-------:|-------:|-----------:|------------:|-------:|--------:|-------:|-------------:|',
      '| global               | 10 ms |    10 | 1,000 |      1 |      3 |         50 | 600 / 1,000 |   60.0 |   100.0 |      0 |       1.042x |',
      '| global-lock          | 10 ms |    10 |    95 |      1 |      3 |         50 |   0 / 1,000 |    0.0 |   100.0 |      0 |       0.099x |',
      '| express-http-context | 10 ms |    10 |   960 |      1 |      3 |         50 |   0 / 1,000 |    0.0 |   100.0 |      0 |       1.000x |',
    ]);
  });

  test('shows latencies under a millisecond as <1, autocannon counting whole milliseconds', () => {
    expect(renderTable([row('express', 'current', 0, 1, [4000], 0, 0)])).toMatch(/\| +<1 \| +<1 \|/);
  });

  test("tabulates each framework's contexts as a fraction of bare, with the spread of the rounds", () => {
    const result = resultOf(
      [
        row('express', 'bare', 0, 10, [1000, 1000, 1000]),
        row('express', 'current', 0, 10, [950, 900, 990]),
        row('koa', 'bare', 0, 10, [800, 800, 800]),
        row('koa', 'current', 0, 10, [800, 760, 720]),
      ],
      { frameworks: ['express', 'koa'] },
    );
    expect(renderOverheadTable(result).split('\n').slice(2)).toEqual([
      '| framework |                                 current | als |                 peer | peer vs bare |',
      '|:----------|----------------------------------------:|----:|---------------------:|-------------:|',
      '| express   | 0.950x (0.900x to 0.990x over 3 rounds) |   - | express-http-context |            - |',
      '| koa       | 0.950x (0.900x to 1.000x over 3 rounds) |   - |                    - |            - |',
    ]);
  });

  test('says how the cost figures were counted, and compares each with als and bare', () => {
    const table = renderCostTable({
      unit: 'instructions',
      requests: [1000, 4000],
      connections: 10,
      figures: [
        { framework: 'express', strategy: 'als', unit: 'instructions', perRequest: 614_700 },
        { framework: 'express', strategy: 'current', unit: 'instructions', perRequest: 650_200 },
      ],
    });
    expect(table.split('\n')).toEqual([
      'Cost per warm request at 0 ms IO, in instructions on the event loop (the main thread) counted by valgrind (callgrind), from the 1,000th answer to the 4,000th, divided by the requests between:',
      '',
      '| framework | strategy |         per request | vs als | vs bare |',
      '|:----------|:---------|--------------------:|-------:|--------:|',
      '| express   | current  | 650.2k instructions | 1.058x |       - |',
      '| express   | als      | 614.7k instructions | 1.000x |       - |',
    ]);
  });

  test("records the machine's load at the start and at the end, and the packages measured", () => {
    const text = renderMachine({ ...resultOf([]), settings: { ...resultOf([]).settings, rounds: 1 } });
    expect(text).toContain('Packages: express 5.3.0, express-http-context 2.0.1');
    expect(text).toContain('Load average: 1.5, 1.2, 1 at the start, 2.5, 1.8, 1.1 at the end.');
    expect(text).toContain('then 1 round of 0.8 s');
  });
});
