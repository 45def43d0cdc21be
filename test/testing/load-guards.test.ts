import { execFile } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadAndVerify } from 'current-attributes/testing';
import { afterEach, describe, expect, test } from 'vitest';
import { testUnless } from '../runtimes/differences.js';
import { listen, type RunningServer } from '../support/listen.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const perUser = (index: number) => ({ headers: { 'x-user': `user-${index}` }, expected: `user-${index}` });

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Sends 200, then 64 KiB chunks as fast as the client reads them, for as long as it stays. */
function endless(res: ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const more = () => {
    while (!res.destroyed && res.write(chunk));
  };
  res.on('drain', more);
  more();
}

// Each test ends only if the load does: a run that never ends fails it by the timeout.
describe('a load stays within its bounds', () => {
  test('cuts an answer past `maxBodyBytes`, closing its connection and counting an error, so endless answers end the run', {
    timeout: 30_000,
  }, async () => {
    server = await listen((_req, res) => endless(res));
    const summary = await loadAndVerify({
      url: server.url,
      connections: 2,
      durationSeconds: 20,
      maxBodyBytes: 256 * 1024,
      request: perUser,
    });
    // Both connections closed, so the run ended without waiting out its duration.
    expect(summary).toMatchObject({ transactions: 0, successful: 0, errors: 2, failed: 2 });
  });

  test('reads an answer of exactly `maxBodyBytes`', async () => {
    const body = 'u'.repeat(1000);
    server = await listen((_req, res) => res.end(body));
    const summary = await loadAndVerify({
      url: server.url,
      connections: 1,
      amount: 5,
      maxBodyBytes: 1000,
      request: () => ({ expected: body }),
    });
    expect(summary).toMatchObject({ successful: 5, errors: 0 });
  });

  testUnless('deno-node-cli-child', 'deno-panics-out-of-descriptors')(
    'ends on time when the process may not open as many connections as asked, counting the ones it could not',
    {
      timeout: 60_000,
    },
    async () => {
      server = await listen((req, res) => res.end(req.headers['x-user']));
      // The limit is set by the shell before the runtime starts; the runtime and tsx hold a few dozen files of their own.
      const script = 'test/testing/support/load-past-fd-limit.ts';
      const { stdout } = await run(
        'bash',
        ['-c', `ulimit -n 96 && exec "$0" --import tsx ${script} ${server.url} 200`, process.execPath],
        {
          cwd: root,
          timeout: 50_000,
        },
      );
      const summary = JSON.parse(stdout);
      expect(summary.errors).toBeGreaterThan(0);
      expect(summary.successful).toBeGreaterThan(0);
      expect(summary.leaked).toBe(0);
    },
  );
});
