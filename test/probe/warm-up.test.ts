import { afterEach, expect, test } from 'vitest';
import { parseProbeArgs } from '../../src/probe/args.js';
import { prepareProbe } from '../../src/probe/prepare.js';
import { renderProbeReport } from '../../src/probe/report.js';
import { runProbe } from '../../src/probe/run.js';
import type { ProbeSettings } from '../../src/probe/settings.js';
import { probeVerdict } from '../../src/probe/verdict.js';
import { listen, type RunningServer } from '../support/listen.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('checks the answers of the warm-up too: a leak there fails the probe, in a row of its own', {
  timeout: 30_000,
}, async () => {
  // The server serves user 1 to everyone while the probe warms up, then each user their own.
  let warming = false;
  server = await listen((req, res) => res.end(warming ? '1' : req.headers['x-user']));
  const settings = parseProbeArgs([server.url, '-H', 'x-user: {i}', '-w', '0.5', '-c', '1,2', '-n', '10']);
  const probe = await prepareProbe(settings as ProbeSettings);
  const result = await runProbe(probe, { onRun: ({ phase }) => (warming = phase === 'warm-up') });

  expect(result.runs.map(({ phase, connections, summary }) => [phase, connections, summary.leaked > 0])).toEqual([
    ['warm-up', 2, true],
    ['measured', 1, false],
    ['measured', 2, false],
  ]);
  expect(result.leaks[0]).toMatchObject({ phase: 'warm-up', connections: 2, carried: '1', carriedFrom: { user: 1 } });
  expect(probeVerdict(result).exitCode).toBe(1);
  expect(renderProbeReport(probe, result)).toMatch(/^\| 2 \(warm-up\) +\|/m);
});
