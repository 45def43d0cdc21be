import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { listen, type RunningServer } from '../../../test/support/listen.js';
import { MAX_ANSWER_BYTES } from '../src/samples.js';
import { runCli } from './support/cli.js';

// Each test ends only if the probe does: a run that never ends fails it by the test's timeout.
const BOUNDED = { timeout: 90_000 };
/** A heap far smaller than an unbounded answer would need: past it, Node stops the probe with a fatal error. */
const SMALL_HEAP = ['--max-old-space-size=96'];

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answers the first two requests (the samples) with their `x-user`; every later one with `late`. */
async function serverWhoseLoadGets(late: (res: ServerResponse) => void) {
  let seen = 0;
  server = await listen((req, res) => {
    seen += 1;
    if (seen <= 2) res.end(req.headers['x-user']);
    else late(res);
  });
  return { url: server.url, seen: () => seen };
}

/** Sends 200, then one byte every 300 ms for as long as the client stays. */
function trickle(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain' });
  const timer = setInterval(() => res.write('.'), 300);
  res.on('close', () => clearInterval(timer));
}

/** Sends 200, then 64 KiB chunks as fast as the client reads them, for as long as it stays. */
function endless(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const more = () => {
    while (!res.destroyed && res.write(chunk));
  };
  res.on('drain', more);
  more();
}

const asUsers = ['-H', 'x-user: user-{i}', '-e', 'user-{i}'];

describe('every run ends, in bounded memory, with the exit code --help gives', () => {
  test(
    'a server that trickles its first answer stops the probe after -t, with code 2, before any load',
    BOUNDED,
    async () => {
      server = await listen((_req, res) => trickle(res));
      const { code, stderr } = await runCli([server.url, ...asUsers, '-t', '2', '-d', '1']);
      expect(code).toBe(2);
      expect(stderr).toMatch(
        /did not finish its answer to the sample request for user 1 of generated users within 2 s \(\d+ bytes of it came\)/,
      );
    },
  );

  test(
    'a server that trickles its answers to the load: each counts as a timeout, and the run ends after -d (code 3)',
    BOUNDED,
    async () => {
      const target = await serverWhoseLoadGets(trickle);
      const { code, stdout } = await runCli([target.url, ...asUsers, '-t', '2', '-d', '1', '-c', '2', '--json']);
      expect(code).toBe(3);
      const [run] = JSON.parse(stdout).runs;
      expect(run.summary).toMatchObject({ successful: 0, leaked: 0 });
      expect(target.seen()).toBeGreaterThan(2);
    },
  );

  test(
    'an endless answer to a sample stops the probe with code 2, not a RangeError that exits 1',
    BOUNDED,
    async () => {
      server = await listen((_req, res) => endless(res));
      const { code, stderr } = await runCli([server.url, ...asUsers], { nodeOptions: SMALL_HEAP });
      expect(code).toBe(2);
      expect(stderr).toContain(
        `answered the sample request for user 1 of generated users with more than ${MAX_ANSWER_BYTES.toLocaleString('en-US')} bytes`,
      );
    },
  );

  test(
    'endless answers to the load close their connections and count as failed, the heap stays small (code 3)',
    BOUNDED,
    async () => {
      const target = await serverWhoseLoadGets(endless);
      const { code, stdout, stderr } = await runCli([target.url, ...asUsers, '-c', '4', '-d', '3', '--json'], {
        nodeOptions: SMALL_HEAP,
      });
      expect({ code, stderr: stderr.includes('heap') }).toEqual({ code: 3, stderr: false });
      const [run] = JSON.parse(stdout).runs;
      expect(run.summary.errors).toBeGreaterThanOrEqual(4);
    },
  );

  test(
    'more connections than the open-file limit allows stop the probe with code 2 before any request',
    BOUNDED,
    async () => {
      const target = await serverWhoseLoadGets((res) => res.end());
      const { code, stderr } = await runCli([target.url, ...asUsers, '-c', '10,300', '-d', '1'], { openFiles: 128 });
      expect({ code, seen: target.seen() }).toEqual({ code: 2, seen: 0 });
      expect(stderr).toMatch(
        /^Expected `--connections` to fit the open-file limit: 300 connections need about \d+ open files, and this process may open 128 \(ulimit -n\)\./,
      );
    },
  );

  test('connections within the open-file limit run as usual', BOUNDED, async () => {
    server = await listen((req, res) => res.end(req.headers['x-user']));
    const { code } = await runCli([server.url, ...asUsers, '-c', '20', '-n', '100'], { openFiles: 128 });
    expect(code).toBe(0);
  });
});
