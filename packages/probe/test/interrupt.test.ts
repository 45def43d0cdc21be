import { afterEach, describe, expect, test } from 'vitest';
import { listen, type RunningServer } from '../../../test/support/listen.js';
import { startCli } from './support/cli.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Echoes the `x-user` header, except that `wrong(seen)` answers may carry user-1 instead. */
async function echoServer(wrong: (seen: number) => boolean = () => false): Promise<string> {
  let seen = 0;
  server = await listen((req, res) => {
    seen += 1;
    res.end(wrong(seen) ? 'user-1' : req.headers['x-user']);
  });
  return `${server.url}/me`;
}

/** A probe that would run for ten minutes per connection count, if Ctrl-C did not stop it. */
const longProbe = (url: string, ...more: string[]) => [
  url,
  '-H',
  'x-user: user-{i}',
  '-e',
  'user-{i}',
  '-c',
  '2,4',
  '-d',
  '600',
  ...more,
];

describe('Ctrl-C during a probe', () => {
  test('stops the load at once and still prints what it measured, exiting 130 when nothing leaked', {
    timeout: 60_000,
  }, async () => {
    const cli = startCli(longProbe(await echoServer()));
    // A progress line: the load is running and answers are being checked.
    await cli.stderrShows(/ [1-9][\d,]* answers?, 0 leaked/);
    process.kill(cli.pid, 'SIGINT');
    const { code, stdout, stderr } = await cli.exited;
    expect(stderr).toContain('Stopping the load; the table follows.');
    expect(code).toBe(130);
    expect(stdout).toMatch(/^\| 2 \(stopped\) +\| +[1-9][\d,]* \| +100\.0 % \|/m);
    // The second connection count never started.
    expect(stdout).not.toMatch(/^\| 4/m);
    expect(stdout).toMatch(/Interrupted: no leak in the [\d,]+ answers checked before Ctrl-C\./);
  });

  test('exits 1 when an answer leaked before it, with the JSON of what ran', { timeout: 60_000 }, async () => {
    const cli = startCli(longProbe(await echoServer((seen) => seen > 2 && seen % 3 === 0), '--json'));
    await cli.stderrShows(/ answers?, [1-9][\d,]* leaked/);
    process.kill(cli.pid, 'SIGINT');
    const { code, stdout } = await cli.exited;
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ interrupted: true, verdict: { kind: 'leaked' } });
    expect(result.runs).toHaveLength(1);
    expect(result.runs[0]).toMatchObject({ connections: 2, complete: false });
    expect(result.runs[0].summary.leaked).toBeGreaterThan(0);
  });
});
