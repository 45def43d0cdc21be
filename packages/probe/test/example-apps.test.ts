import { trackConcurrency } from 'current-attributes/testing';
import type { Express } from 'express';
import { afterEach, describe, expect, test } from 'vitest';
import { createCurrentApp, createLeakyApp, createLockedApp } from '../../../examples/per-page-leak/app.js';
import { listen, type RunningServer } from '../../../test/support/listen.js';
import { parseProbeArgs } from '../src/args.js';
import { prepareProbe } from '../src/prepare.js';
import { runProbe } from '../src/run.js';
import { checkSamples } from '../src/samples.js';
import type { ProbeSettings } from '../src/settings.js';
import { probeVerdict } from '../src/verdict.js';
import { createGenerations } from './support/generations.js';

const CONNECTIONS = [1, 2, 4];
const REQUESTS = 48; // a multiple of every connection count: each generation is whole
/** Each run's connections, leaked and successful answers when every answer is its user's own. */
const NO_LEAK = CONNECTIONS.map((connections) => [connections, 0, REQUESTS]);

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Probes `app` as `probe <url>/items?per_page={i} --json-path perPage -c 1,2,4 -n 48`, telling `onRun` each count. */
async function probe(app: Express, onRun: (connections: number) => void = () => undefined) {
  server = await listen(app);
  const settings = parseProbeArgs([
    `${server.url}/items?per_page={i}`,
    '--json-path',
    'perPage',
    '-c',
    CONNECTIONS.join(','),
    '-n',
    String(REQUESTS),
  ]) as ProbeSettings;
  const prepared = await prepareProbe(settings);
  await checkSamples(prepared);
  const result = await runProbe(prepared, { onRun: ({ connections }) => onRun(connections) });
  const leaked = result.runs.map(({ connections, summary }) => [connections, summary.leaked, summary.successful]);
  return { result, leaked, verdict: probeVerdict(result) };
}

describe('the probe against the example apps of examples/per-page-leak', () => {
  test('catches the module-level variable at every concurrency above 1, and shows who got whose page size', {
    timeout: 60_000,
  }, async () => {
    // Every request is held in its handler until all the connections' requests have set the variable.
    const loading = createGenerations();
    const { result, leaked, verdict } = await probe(
      createLeakyApp(() => loading.arrive()),
      (connections) => loading.resize(connections),
    );
    // In each generation of n requests, all read the last one's value: n - 1 leak.
    expect(leaked).toEqual([
      [1, 0, 48],
      [2, 24, 24],
      [4, 36, 12],
    ]);
    expect(verdict).toMatchObject({ kind: 'leaked', exitCode: 1 });
    const [first] = result.leaks;
    expect(first).toMatchObject({ phase: 'measured', connections: 2, status: 200 });
    expect(first?.carriedFrom?.user).not.toBe(first?.askedBy.user);
    expect(first?.body).toBe(`{"perPage":${first?.carried}}`);
  });

  test('finds no leak in Current under the same worst interleaving', { timeout: 60_000 }, async () => {
    const loading = createGenerations();
    const handlers = trackConcurrency();
    const { leaked, verdict } = await probe(
      createCurrentApp(() => handlers.run(() => loading.arrive())),
      (connections) => loading.resize(connections),
    );
    expect(leaked).toEqual(NO_LEAK);
    expect(verdict).toMatchObject({ kind: 'noLeak', exitCode: 0 });
    expect(handlers.maxConcurrent).toBe(4);
  });

  test('finds no leak behind globalLock, which serves one request at a time: the throughput it costs', {
    timeout: 60_000,
  }, async () => {
    const handlers = trackConcurrency();
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    const { result, leaked, verdict } = await probe(createLockedApp(() => handlers.run(nextTurn)));
    expect(leaked).toEqual(NO_LEAK);
    expect(verdict.exitCode).toBe(0);
    // However many connections wait, one handler runs: req/s cannot grow with them (the table shows it).
    expect(handlers.maxConcurrent).toBe(1);
    expect(result.runs.every(({ summary }) => summary.requestsPerSecond > 0)).toBe(true);
  });
});
