import { describe, expect, test } from 'vitest';
import { readReport, type VitestJsonReport } from './harness/suites.js';

const root = '/checkout';
const report = (...tests: { title: string; status: string }[]): VitestJsonReport => ({
  testResults: [
    {
      name: '/checkout/test/core/example.test.ts',
      status: tests.some((one) => one.status === 'failed') ? 'failed' : 'passed',
      assertionResults: tests.map(({ title, status }) => ({ title, status, fullName: `example ${title}` })),
    },
  ],
});

describe('the runtime suites’ report', () => {
  test('counts a test skipped for a known difference of the runtime, and names it', () => {
    const read = readReport(
      report(
        { title: 'reads its own values', status: 'passed' },
        { title: 'warns once [known difference on bun: bun-http-server-channels]', status: 'skipped' },
      ),
      'bun',
      root,
    );
    expect(read.problems).toEqual([]);
    expect(read.files).toEqual([{ file: 'test/core/example.test.ts', passed: 1, failed: 0, skipped: 1 }]);
    expect(read.skipped).toEqual([
      { file: 'test/core/example.test.ts', title: 'warns once', differences: ['bun-http-server-channels'] },
    ]);
  });

  test('fails a test skipped with no known difference, or with one of another runtime, and a failed test', () => {
    const read = readReport(
      report(
        { title: 'skipped by hand', status: 'skipped' },
        { title: 'a todo', status: 'todo' },
        { title: 'warns once [known difference on bun: bun-http-server-channels]', status: 'skipped' },
        { title: 'an unknown id [known difference on deno: deno-is-slow]', status: 'skipped' },
        { title: 'reads its own values', status: 'failed' },
      ),
      'deno',
      root,
    );
    expect(read.problems).toEqual([
      'test/core/example.test.ts: "example skipped by hand" was skipped with no known difference of deno',
      'test/core/example.test.ts: "example a todo" was todo with no known difference of deno',
      'test/core/example.test.ts: "example warns once [known difference on bun: bun-http-server-channels]" was skipped with no known difference of deno',
      'test/core/example.test.ts: "example an unknown id [known difference on deno: deno-is-slow]" was skipped with no known difference of deno',
      'test/core/example.test.ts: "example reads its own values" failed',
    ]);
    expect(read.skipped).toEqual([]);
  });

  test('fails a run in which no test file ran', () => {
    expect(readReport({ testResults: [] }, 'bun', root).problems).toEqual(['no test file ran']);
  });
});
