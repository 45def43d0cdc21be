/**
 * `npm run compat`: the compatibility matrix. Starts each server the rows
 * need once (PostgreSQL, Redis, MariaDB, RabbitMQ), runs every row on every
 * runtime mode of runtimes.ts (two modes at a time, in child processes),
 * writes results/latest.json (the page's source: `npm run compat:docs`) and
 * fails when a cell differs from baseline.json or a fixed row is not ok.
 *
 *   npm run compat -- [--only <regexp of row ids>] [--runtimes node20,node24] [--jobs 2] [--update-baseline]
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { allRows } from './cells/index.js';
import type { Service } from './harness/cell.js';
import { type Baseline, baselineOf, failuresAgainst, type MatrixResults, type RuntimeRun } from './harness/results.js';
import type { RowResult } from './harness/run-row.js';
import { nodeBinary } from './harness/runtime-binaries.js';
import { startServices } from './harness/services.js';
import { runtimeModes } from './runtimes.js';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const baselinePath = join(here, 'baseline.json');
export const latestPath = join(here, 'results', 'latest.json');

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    runtimes: { type: 'string' },
    jobs: { type: 'string', default: String(Math.min(2, availableParallelism())) },
    concurrency: { type: 'string', default: '6' },
    'update-baseline': { type: 'boolean', default: false },
  },
});
const started = Date.now();
const only = values.only === undefined ? undefined : new RegExp(values.only);
const rows = allRows.filter((row) => only === undefined || only.test(row.id));
const wanted = values.runtimes?.split(',');
const modes = runtimeModes.filter((mode) => wanted === undefined || wanted.includes(mode.id));
if (rows.length === 0 || modes.length === 0) throw new Error('No row or no runtime mode matches the filters.');

const needed = new Set<Service>(rows.flatMap((row) => row.needs));
console.log(`Starting ${[...needed].join(', ') || 'no servers'} and ${modes.length} runtime modes...`);
const scratch = mkdtempSync(join(tmpdir(), 'current-attributes-compat-'));
const servicesFile = join(scratch, 'services.json');
const services = startServices(needed, servicesFile);
services.ready.then(
  () => console.log(`Servers ready after ${((Date.now() - started) / 1000).toFixed(1)} s.`),
  () => undefined,
);
let results: MatrixResults;
try {
  const binaries = await Promise.all(modes.map((mode) => nodeBinary(mode.major)));
  const runs = await inPairs(
    modes.map((mode, index) => () => runMode(mode, binaries[index] as string)),
    Number(values.jobs),
  );
  results = {
    finishedAt: new Date().toISOString(),
    wallTimeMs: Date.now() - started,
    concurrency: Number(values.concurrency),
    runtimes: runs.map(({ runtime }) => runtime),
    rows: rows.map((row) => ({
      id: row.id,
      library: row.library,
      packageName: row.packageName,
      version: row.packageName === undefined ? 'built in' : versionOf(row.packageName),
      mode: row.mode,
      ...(row.fix === undefined ? {} : { fix: row.fix }),
      results: Object.fromEntries(
        runs.flatMap(({ runtime, byRow }) => {
          const result = byRow.get(row.id);
          return result === undefined ? [] : [[runtime.id, result]];
        }),
      ),
    })),
  };
  await services.ready;
} finally {
  await services.stop();
  rmSync(scratch, { recursive: true, force: true });
}

mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(latestPath, `${JSON.stringify(results, null, 2)}\n`);
printSummary(results);
if (values['update-baseline']) {
  const previous = readBaseline();
  writeFileSync(baselinePath, `${JSON.stringify({ ...previous, ...merge(previous, baselineOf(results)) }, null, 2)}\n`);
  console.log(`Wrote ${baselinePath}.`);
}
const failures = failuresAgainst(results, readBaseline());
console.log(`\n${rows.length} rows x ${modes.length} runtime modes in ${(results.wallTimeMs / 1000).toFixed(1)} s.`);
if (failures.length > 0) {
  console.error(`\n${failures.length} cells fail:\n${failures.map((line) => `  ${line}`).join('\n')}`);
  process.exit(1);
}
console.log('Every cell matches baseline.json, and every fixed row is ok.');
// epmd, which RabbitMQ starts as a daemon, may hold a pipe of the stopped server: do not wait for it.
process.exit(0);

/** Runs the rows on one runtime mode in a child process of that Node. */
async function runMode(mode: (typeof runtimeModes)[number], binary: string) {
  const out = join(scratch, `${mode.id}.json`);
  const version = (await run(binary, ['--version'])).stdout.trim();
  const args = [...mode.flags, '--import', 'tsx', join(here, 'run-runtime.ts'), '--out', out];
  args.push('--concurrency', String(values.concurrency));
  if (values.only !== undefined) args.push('--only', values.only);
  const env = { ...process.env, COMPAT_SERVICES_FILE: servicesFile, COMPAT_NAMESPACE: mode.id };
  const runtime: RuntimeRun = { id: mode.id, label: mode.label, version, flags: mode.flags };
  const modeStart = Date.now();
  try {
    await run(binary, args, { cwd: root, env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`${mode.label} (${version}) crashed:\n${stderr?.slice(-4000) ?? error}`);
  }
  const byRow = new Map((JSON.parse(readFileSync(out, 'utf8')) as RowResult[]).map((result) => [result.id, result]));
  console.log(`${mode.label.padEnd(16)} ${version} done in ${((Date.now() - modeStart) / 1000).toFixed(1)} s`);
  return { runtime, byRow };
}

/** Runs the tasks `jobs` at a time, keeping their order in the results. */
async function inPairs<T>(tasks: ReadonlyArray<() => Promise<T>>, jobs: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return results;
}

function versionOf(packageName: string): string {
  return (
    JSON.parse(readFileSync(join(root, 'node_modules', packageName, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

function readBaseline(): Baseline {
  try {
    return JSON.parse(readFileSync(baselinePath, 'utf8')) as Baseline;
  } catch {
    return {};
  }
}

/** The previous baseline with this run's verdicts written over it, row by row (a filtered run keeps the rest). */
function merge(previous: Baseline, current: Baseline): Baseline {
  return Object.fromEntries(Object.entries(current).map(([id, verdicts]) => [id, { ...previous[id], ...verdicts }]));
}

function printSummary({ rows: measured, runtimes }: MatrixResults) {
  const width = Math.max(...measured.map((row) => row.id.length));
  console.log(`\n${'row'.padEnd(width)}  ${runtimes.map((r) => r.id.padEnd(13)).join(' ')}`);
  for (const row of measured) {
    const cells = runtimes.map((r) => {
      const result = row.results[r.id];
      if (result === undefined) return '-'.padEnd(13);
      const { ok, lost, wrong } = result.reads;
      return `${result.verdict} ${result.verdict === 'ok' ? ok : result.verdict === 'lost' ? lost : wrong}/${ok + lost + wrong}`.padEnd(
        13,
      );
    });
    console.log(`${row.id.padEnd(width)}  ${cells.join(' ')}`);
  }
}
