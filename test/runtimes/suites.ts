/**
 * `npm run runtimes:suites`: the vitest suites of vitest.runtimes.config.ts
 * (the adapter contract suite, the Hono adapter on Bun.serve and Deno.serve,
 * the core, the locks with Redis, the race kit)
 * run inside Bun and Deno, both at once, from the runtimes `npm run runtimes`
 * installs (bench/runtimes.ts). Prints each runtime's output whole once it is
 * done, writes results/suites.json (docs/runtimes.md reads it: `npm run
 * runtimes:docs`), and fails when a test fails, or is skipped other than for
 * a difference listed in test/runtimes/differences.ts.
 *
 *   tsx test/runtimes/suites.ts [--runtime bun,deno]
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runtimeBinary } from '../../bench/runtimes.js';
import { ROOT, versionOf } from './harness/launch.js';
import { readReport, type SuitesResults, type SuitesRun, type SuitesRuntime } from './harness/suites.js';

const { values } = parseArgs({
  options: {
    runtime: { type: 'string', default: 'bun,deno' },
    'timeout-minutes': { type: 'string', default: '15' },
  },
});
const runtimes = values.runtime.split(',');
for (const runtime of runtimes) {
  if (runtime !== 'bun' && runtime !== 'deno') throw new Error(`Expected bun or deno in --runtime, got ${runtime}`);
}
const timeoutMs = Number(values['timeout-minutes']) * 60_000;
const work = mkdtempSync(join(tmpdir(), 'runtime-suites-'));

/** Bun's fetch sends at most 256 requests at once unless told otherwise; the contract suite holds 500 at a barrier. */
const RUNTIME_ENV: Record<SuitesRuntime, Record<string, string>> = {
  bun: { BUN_CONFIG_MAX_HTTP_REQUESTS: '1024' },
  deno: {},
};

async function runSuites(runtime: SuitesRuntime): Promise<SuitesRun & { log: string }> {
  const binary = await runtimeBinary(runtime);
  const version = await versionOf(runtime);
  const reportPath = join(work, `${runtime}.json`);
  const log = join(work, `${runtime}.log`);
  const vitest = [
    'node_modules/vitest/vitest.mjs',
    'run',
    '--config',
    'vitest.runtimes.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportPath}`,
  ];
  // `--bun`: without it Bun follows vitest's `#!/usr/bin/env node` and runs it on Node.
  const command = runtime === 'bun' ? [binary, '--bun', ...vitest] : [binary, 'run', '-A', ...vitest];
  const started = performance.now();
  const out = createWriteStream(log);
  await new Promise<void>((resolve) => out.once('open', () => resolve()));
  const child = spawn(command[0] as string, command.slice(1), {
    cwd: ROOT,
    env: { ...process.env, ...RUNTIME_ENV[runtime] },
    stdio: ['ignore', out, out],
    // Its own process group, so a run that hangs is stopped with every vitest worker it started.
    detached: true,
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, timeoutMs);
  const exitCode = await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  clearTimeout(timer);
  out.close();
  const seconds = Math.round((performance.now() - started) / 1000);
  let read: Pick<SuitesRun, 'files' | 'skipped' | 'problems'>;
  try {
    read = readReport(JSON.parse(readFileSync(reportPath, 'utf8')), runtime, ROOT);
  } catch (error) {
    read = { files: [], skipped: [], problems: [`no report from vitest: ${(error as Error).message}`] };
  }
  const problems = [...read.problems];
  if (timedOut) problems.push(`stopped after ${values['timeout-minutes']} minutes`);
  if (exitCode !== 0 && problems.length === 0) problems.push(`vitest exited with ${exitCode}`);
  return { runtime, version, seconds, ...read, problems, log };
}

const started = performance.now();
const runs = await Promise.all(runtimes.map((runtime) => runSuites(runtime as SuitesRuntime)));
for (const run of runs) {
  console.log(`== vitest inside ${run.runtime} ${run.version}: ${run.seconds} s`);
  console.log(readFileSync(run.log, 'utf8'));
}
rmSync(work, { recursive: true, force: true });

const results: SuitesResults = {
  finishedAt: new Date().toISOString(),
  runs: runs.map(({ log: _log, ...run }) => run),
};
mkdirSync(join(ROOT, 'test/runtimes/results'), { recursive: true });
writeFileSync(join(ROOT, 'test/runtimes/results/suites.json'), `${JSON.stringify(results, null, 2)}\n`);

for (const run of runs) {
  const count = (key: 'passed' | 'failed' | 'skipped') => run.files.reduce((sum, file) => sum + file[key], 0);
  console.log(
    `${run.runtime} ${run.version}: ${run.files.length} files, ${count('passed')} passed, ${count('failed')} failed, ` +
      `${count('skipped')} skipped, ${run.seconds} s`,
  );
  for (const { file, title, differences } of run.skipped)
    console.log(`  skipped ${file}: ${title} [${differences.join(', ')}]`);
  for (const problem of run.problems) console.error(`FAIL ${run.runtime}: ${problem}`);
}
console.log(`== the suites inside ${runtimes.join(' and ')}: ${Math.round((performance.now() - started) / 1000)} s`);
process.exit(runs.every((run) => run.problems.length === 0) ? 0 : 1);
