/**
 * `npm run runtimes`: the context-loss suite and the apps of
 * test/runtimes/apps (2,000 concurrent requests per route each) on Node, Bun,
 * Deno and workerd, two runtimes at a time. Writes results/latest.json (the
 * source of docs/runtimes.md: `npm run runtimes:docs`) and fails when a
 * verdict differs from baseline.json or an app mixed requests up.
 *
 *   tsx test/runtimes/run.ts [--runtime bun,deno] [--amount 2000] [--update-baseline]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { OTHER_RUNTIMES } from '../../bench/runtimes.js';
import { appOn, appsOn } from './harness/apps.js';
import { ROOT, type Runtime, versionOf } from './harness/launch.js';
import { probesOn } from './harness/probes.js';
import {
  type Baseline,
  baselineOf,
  failuresAgainst,
  type RuntimeRun,
  type RuntimesResults,
} from './harness/results.js';

const { values } = parseArgs({
  options: {
    runtime: { type: 'string', default: ['node', ...OTHER_RUNTIMES].join(',') },
    amount: { type: 'string', default: '2000' },
    'update-baseline': { type: 'boolean', default: false },
  },
});
const runtimes = values.runtime.split(',') as Runtime[];
const amount = Number(values.amount);
const here = join(ROOT, 'test/runtimes');
const baselinePath = join(here, 'baseline.json');

const echo = createServer((_request, response) => response.end('ok')).listen(0, '127.0.0.1');
await new Promise((resolve) => echo.once('listening', resolve));
const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`;

async function runOn(runtime: Runtime): Promise<RuntimeRun> {
  const started = performance.now();
  const version = await versionOf(runtime);
  let probes: RuntimeRun['probes'];
  try {
    probes = await probesOn(runtime, echoUrl, 180_000);
  } catch (error) {
    probes = { error: (error instanceof Error ? error.message : String(error)).slice(0, 600) };
  }
  const apps = [];
  for (const app of appsOn(runtime)) apps.push(await appOn(runtime, app, amount, 120_000));
  const seconds = Math.round((performance.now() - started) / 1000);
  console.log(`${runtime} ${version}: done in ${seconds} s`);
  return { runtime, version, probes, apps, seconds };
}

// Two at a time: the CI machine has two cores, and each runtime's run is mostly one busy process.
const runs: RuntimeRun[] = [];
const queue = [...runtimes];
await Promise.all(
  [0, 1].map(async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) runs.push(await runOn(next));
  }),
);
echo.close();
runs.sort((a, b) => runtimes.indexOf(a.runtime) - runtimes.indexOf(b.runtime));

const results: RuntimesResults = { finishedAt: new Date().toISOString(), amount, runs };
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
if (values['update-baseline']) {
  const previous = readBaseline();
  writeFileSync(baselinePath, `${JSON.stringify({ ...previous, ...baselineOf(results) }, null, 2)}\n`);
}
const failures = failuresAgainst(results, readBaseline());
for (const failure of failures) console.error(`FAIL ${failure}`);
console.log(failures.length === 0 ? 'Every verdict matches the baseline.' : `${failures.length} verdicts differ.`);
process.exit(failures.length === 0 ? 0 : 1);

function readBaseline(): Baseline {
  try {
    return JSON.parse(readFileSync(baselinePath, 'utf8')) as Baseline;
  } catch {
    return {};
  }
}
