import { afterEach, expect, test } from 'vitest';
import { listen, type RunningServer } from '../../../test/support/listen.js';
import { parseProbeArgs } from '../src/args.js';
import { prepareProbe } from '../src/prepare.js';
import { renderProbeReport } from '../src/report.js';
import { runProbe } from '../src/run.js';
import type { ProbeSettings } from '../src/settings.js';
import { probeVerdict } from '../src/verdict.js';

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
