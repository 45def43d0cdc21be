import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { afterEach, describe, expect, test } from 'vitest';
// The probe package's bin from its sources, in a process of its own, as the probe's own tests run it.
import { runCli } from '../../packages/probe/test/support/cli.js';
import { createGenerations } from '../../packages/probe/test/support/generations.js';
import { createProbeApp } from './probe-apps.js';

const CONNECTIONS = 4;
const REQUESTS = 48;
/** The probe's two sample requests come one at a time; the load after them in generations of every connection. */
const SAMPLES = 2;

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function probe(variant: 'current' | 'broken') {
  const generations = createGenerations(CONNECTIONS);
  let seen = 0;
  app = await createProbeApp(variant, () => (++seen <= SAMPLES ? Promise.resolve() : generations.arrive()));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/whoami?user={i}`;
  const args = [url, '--json-path', 'user', '-c', String(CONNECTIONS), '-n', String(REQUESTS), '-w', '0', '--json'];
  const { stdout, code } = await runCli(args);
  return { code, report: JSON.parse(stdout) as { runs: { summary: { leaked: number; successful: number } }[] } };
}

describe('the probe against the NestJS example apps', () => {
  test('finds no leak when a guard signs the request in on Current', { timeout: 90_000 }, async () => {
    const { code, report } = await probe('current');
    expect(report.runs.map(({ summary }) => [summary.leaked, summary.successful])).toEqual([[0, REQUESTS]]);
    expect(code).toBe(0);
  });

  test('finds the leak of a singleton service that keeps the user', { timeout: 90_000 }, async () => {
    const { code, report } = await probe('broken');
    // Each generation of 4 requests reads the last one's user: 3 of 4 leak.
    expect(report.runs.map(({ summary }) => summary.leaked)).toEqual([(REQUESTS * 3) / 4]);
    expect(code).toBe(1);
  });
});
