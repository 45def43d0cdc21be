import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { PUBLISHED, publishedSection, replaceSection } from '../../bench/publish.js';
import { resultOf, row } from './support/result.js';

const five = (rate: number) => [rate, rate, rate, rate, rate];
const rows = [
  row('express', 'global', 10, 10, five(850), 990),
  row('express', 'global-lock', 10, 10, five(92)),
  row('express', 'current', 10, 10, five(857)),
];
const quiet = { ...resultOf(rows), loadAverageAtEnd: [0.4, 0.5, 0.6] };
const quietResult = { ...quiet, machine: { ...quiet.machine, loadAverage: [0.3, 0.2, 0.1] } };

describe('npm run bench -- --publish', () => {
  test('writes the verdict, the chart, the run and its table, from the run alone', () => {
    const section = publishedSection(quietResult, ['--publish', '--out', '/tmp/results']);
    expect(section).toMatch(
      /^\*\*global leaked 99% of its answers, every other strategy none; at 10 ms IO and 10 connections current served 857 req\/s, 9\.3x global-lock's 92\.\*\*\n\n!\[/,
    );
    expect(section).toContain('](benchmark.svg)');
    expect(section).toContain(
      '`npm run bench` on 2026-01-01: express, 6 min 0 s from the first measurement to the last',
    );
    expect(publishedSection(quietResult, ['--framework', 'koa', '--publish'])).toContain(
      '`npm run bench -- --framework koa` on',
    );
    expect(section).toContain('| global-lock | 10 ms |    10 |    92 |');
    expect(section).not.toContain('busy');
  });

  test('says the machine was busy when its load average reached its number of cores', () => {
    const section = publishedSection(resultOf(rows), ['--publish']);
    expect(section).toContain(
      '**The machine was busy** (a load average of 1.5 at the start and 2.5 at the end, on 2 cores)',
    );
  });

  test('replaces only the text between the markers, and refuses a page without them', () => {
    const page = (inside: string) =>
      `# Benchmarks\n\nbefore\n\n<!-- bench:start: written by \`npm run bench -- --publish\`, never by hand -->\n\n${inside}\n\n<!-- bench:end -->\n\nafter\n`;
    expect(replaceSection(page('the old run'), 'the new run')).toBe(page('the new run'));
    expect(() => replaceSection('# Benchmarks\n', 'the new run')).toThrow(
      /Expected docs\/benchmarks\.md to hold one section between/,
    );
  });

  test(`finds one such section in ${PUBLISHED.page}`, async () => {
    const page = await readFile(new URL(`../../${PUBLISHED.page}`, import.meta.url), 'utf8');
    expect(() => replaceSection(page, 'the new run')).not.toThrow();
  });
});
