/**
 * Where Bun or Deno differ from Node in a way a test of the vitest suites
 * sees, each with its upstream report. `npm run runtimes:suites` runs the
 * suites inside Bun and Deno; a test that cannot pass on one of them for a
 * reason listed here is registered with `testUnless(id)`, which skips it on
 * that runtime only and ends the test's name with the difference. The
 * runner fails on any other skipped test, and docs/runtimes.md lists every
 * entry.
 */
import { test } from 'vitest';

/** The runtime this file was loaded in: vitest itself runs on Node, Bun (`bun --bun`) or Deno (`deno run -A`). */
export type SuiteRuntime = 'node' | 'bun' | 'deno';

export const SUITE_RUNTIME: SuiteRuntime =
  process.versions.bun !== undefined ? 'bun' : process.versions.deno !== undefined ? 'deno' : 'node';

export interface KnownDifference {
  readonly runtime: Exclude<SuiteRuntime, 'node'>;
  /** What the runtime does that Node does not, for the docs page. */
  readonly difference: string;
  /** The upstream report, a URL. */
  readonly upstream: string;
  /** What the library, the tests or the runner do about it: a sentence, for the docs page. */
  readonly handling: string;
}

/**
 * Differences a test cannot pass through, by id: each skips exactly the
 * tests that name it. Delete an entry once its runtime fixed it: the tests
 * then run there again.
 */
export const KNOWN_DIFFERENCES = {
  'bun-http-server-channels': {
    runtime: 'bun',
    difference:
      "Bun's `node:http` server publishes none of Node's `http.server.*` diagnostics channels, so the warning about a definition read outside any scope while serving a request (src/core/outside-request.ts) never fires on Bun, and once armed by such a read its subscription stays",
    upstream: 'https://github.com/oven-sh/bun/issues/29586',
    handling: 'The four tests of test/core/outside-request.test.ts that expect the warning are skipped on Bun',
  },
  'deno-node-cli-child': {
    runtime: 'deno',
    difference:
      "a child process started from `process.execPath` with Node's flags (`--import tsx`, `--input-type=module --eval`) is Deno, which takes no `--import` and does not run tsx",
    upstream: 'https://github.com/denoland/deno/issues/31154',
    handling:
      "Skipped on Deno: test/core/reader.test.ts (a child under `--disallow-code-generation-from-strings`) and the fd-limit test of test/testing/load-guards.test.ts (tsx on Deno: [denoland/deno#20625](https://github.com/denoland/deno/issues/20625)). `raceProcesses`' children, forked with `--import tsx`, run on Deno's own TypeScript support and load the package from its build, so the runner builds it first",
  },
  'deno-panics-out-of-descriptors': {
    runtime: 'deno',
    difference:
      'Deno panics (`ext/signals`, "Too many open files") when the process runs out of file descriptors, where Node fails the one call with `EMFILE`',
    upstream: 'https://github.com/denoland/deno/issues/2243',
    handling:
      'The fd-limit test of test/testing/load-guards.test.ts is skipped on Deno: `loadAndVerify` with more connections than the process may open crashes Deno',
  },
} as const satisfies Record<string, KnownDifference>;

export type DifferenceId = keyof typeof KNOWN_DIFFERENCES;

/**
 * Differences this repository works around instead of skipping a test: in
 * the library, or in how the runner starts the runtime. For the docs page.
 */
export const HANDLED_DIFFERENCES: readonly KnownDifference[] = [
  {
    runtime: 'bun',
    difference:
      'Bun reports a socket it could not create for want of file descriptors as `ECONNREFUSED`, where Node says `EMFILE`',
    upstream: 'https://github.com/oven-sh/bun/pull/36140',
    handling:
      "Fixed in the library: `loadAndVerify` closes a connection whose next attempt fails before the event loop turns, whatever the error's code (src/testing/load-guards.ts)",
  },
  {
    runtime: 'bun',
    difference:
      "Bun's `fetch` sends at most 256 requests at once (`BUN_CONFIG_MAX_HTTP_REQUESTS`); Node's has no such limit",
    upstream: 'https://github.com/oven-sh/bun/issues/12214',
    handling:
      'The runner starts Bun with `BUN_CONFIG_MAX_HTTP_REQUESTS=1024`: the contract suite holds 500 requests at a barrier',
  },
];

/**
 * `test`, or on a runtime that has one of the differences `ids` a `test.skip`
 * whose name ends with them (`[known difference on deno: id, ...]`), which is
 * what the runner accepts as a reason to skip.
 */
export function testUnless(...ids: DifferenceId[]): typeof test {
  const here = ids.filter((id) => KNOWN_DIFFERENCES[id].runtime === SUITE_RUNTIME);
  if (here.length === 0) return test;
  const skipped = (name: string | ((...args: never[]) => unknown), ...rest: unknown[]) =>
    (test.skip as (...args: unknown[]) => void)(
      `${String(name)} [known difference on ${SUITE_RUNTIME}: ${here.join(', ')}]`,
      ...rest,
    );
  return skipped as unknown as typeof test;
}

/** The differences a skipped test's name ends with, as `testUnless` wrote them, or undefined. */
export function differencesInName(title: string): { runtime: string; ids: string[]; name: string } | undefined {
  const match = /^(.*) \[known difference on (\w+): ([^\]]+)\]$/s.exec(title);
  if (match === null) return undefined;
  return { name: match[1] as string, runtime: match[2] as string, ids: (match[3] as string).split(', ') };
}
