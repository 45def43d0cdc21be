import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listen, type RunningServer } from '../../../test/support/listen.js';
import { parseProbeArgs } from '../src/args.js';
import { ProbeUsageError } from '../src/errors.js';
import { runCommand } from './support/cli.js';

/** A run sends two samples and a short load. */
const RUN_TIMEOUT = { timeout: 30_000 };

let directory: string;
let server: RunningServer;
let seen = 0;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'probe-input-'));
  // Answers the user named in the path (/users/<name>) or in `x-user`.
  server = await listen((req, res) => {
    seen += 1;
    const named = /^\/users\/([^/?]+)/.exec(req.url ?? '')?.[1];
    res.end(named === undefined ? req.headers['x-user'] : decodeURIComponent(named));
  });
});
afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const at = path.join(directory, name);
  await writeFile(at, text);
  return at;
}

/** Runs the probe and returns its exit code, its message and how many requests the server saw meanwhile. */
async function probe(args: readonly string[]) {
  const before = seen;
  const { code, stderr } = await runCommand([...args, '-c', '1', '-n', '4']);
  return { code, stderr: stderr.trim(), sent: seen - before };
}

describe('input the probe cannot send stops it with code 2 and what to fix, never as its own bug (4)', () => {
  test.each([
    ['a CJK character', 'x-user: 名前-{i}', 'header `x-user` holds `名` at position 1'],
    ['DEL', 'x-user: user\u007f{i}', 'header `x-user` holds U+007F at position 5'],
    ['a control character', 'x-user: \u0001user-{i}', 'header `x-user` holds U+0001 at position 1'],
  ])('a header line (-H) holding %s', RUN_TIMEOUT, async (_, header, message) => {
    const { code, stderr, sent } = await probe([server.url, '-H', header, '-e', 'user-{i}']);
    expect({ code, sent }).toEqual({ code: 2, sent: 0 });
    expect(stderr).toContain(message);
    expect(stderr).toContain('A header carries visible ASCII and Latin-1 characters only');
  });

  test.each([
    ['a CJK character', 'name,token\nann,t-1\nbob,名前\n', 'line 3: header `authorization` would hold `名`'],
    ['a control character', 'name,token\nann,t-1\nbob,t\u00012\n', 'line 3: header `authorization` would hold U+0001'],
  ])('a CSV value holding %s, used in a header', RUN_TIMEOUT, async (_, csv, message) => {
    const users = await file('users.csv', csv);
    const { code, stderr, sent } = await probe([
      server.url,
      '-i',
      users,
      '-H',
      'authorization: {token}',
      '-e',
      '{name}',
    ]);
    expect({ code, sent }).toEqual({ code: 2, sent: 0 });
    expect(stderr).toContain(message);
  });

  test(
    'a CSV value holding CJK characters, where it can go: URL-encoded in the path, and expected in the answer',
    RUN_TIMEOUT,
    async () => {
      const users = await file('cjk.csv', 'name\n名前\n\u0628\u0648\u0628\nĀnn\n');
      const { code, stderr } = await probe([`${server.url}/users/{name}`, '-i', users, '-e', '{name}']);
      expect({ code, stderr }).toEqual({ code: 0, stderr: expect.not.stringContaining('failed') });
    },
  );

  test.each([
    ['GET /x', 'Expected `--method` to be an HTTP method, a token such as GET or POST, got `GET /x` (string).'],
    ['GÉT', 'Expected `--method` to be an HTTP method, a token such as GET or POST, got `GÉT` (string).'],
    ['', 'Expected `--method` to be an HTTP method, a token such as GET or POST, got `` (string).'],
  ])('-X %j', RUN_TIMEOUT, async (method, message) => {
    const { code, stderr, sent } = await probe([server.url, '-X', method, '-H', 'x-user: user-{i}', '-e', 'user-{i}']);
    expect({ code, stderr, sent }).toEqual({ code: 2, stderr: message, sent: 0 });
  });

  test.each([['{constructor}'], ['{toString}'], ['{__proto__}'], ['{hasOwnProperty}']])(
    'a placeholder %s, which every object answers but no user has',
    RUN_TIMEOUT,
    async (placeholder) => {
      const { code, stderr, sent } = await probe([server.url, '-H', `x-user: ${placeholder}`, '-e', 'user-{i}']);
      expect({ code, sent }).toEqual({ code: 2, sent: 0 });
      expect(stderr).toContain(
        `generated users: user 1 has no \`${placeholder.slice(1, -1)}\`, which header \`x-user\` uses`,
      );
    },
  );
});

describe('durations are plain decimal seconds', () => {
  test.each([['0x10'], ['1e1'], ['0b1'], ['Infinity'], [' 5'], ['5s']])('refuses -d %j', (raw) => {
    expect(() => parseProbeArgs(['http://127.0.0.1:3000', '-d', raw])).toThrow(ProbeUsageError);
    expect(() => parseProbeArgs(['http://127.0.0.1:3000', '-d', raw])).toThrow(
      `Expected \`--duration\` to be seconds greater than 0 and up to 3600, such as 10 or 2.5, got \`${raw}\` (string).`,
    );
  });

  test.each([
    ['10', 10],
    ['2.5', 2.5],
    ['0.25', 0.25],
  ])('reads -d %j as %d s', (raw, seconds) => {
    expect(parseProbeArgs(['http://127.0.0.1:3000', '-d', raw])).toMatchObject({ durationSeconds: seconds });
  });
});
