import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { freeLoopbackPort } from '../../../examples/support/redis-server.js';
import { listen, type RunningServer } from '../../../test/support/listen.js';
import { runCli } from './support/cli.js';

/** Each run starts a Node process with a TypeScript loader: seconds on two busy cores. */
const CLI_TIMEOUT = { timeout: 60_000 };
const USERS = 'name,token\nann,t-1\nbob,t-2\ncarl,t-3\ndora,t-4\n';

let server: RunningServer | undefined;
let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'probe-cli-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function file(name: string, text: string): Promise<string> {
  const at = path.join(directory, name);
  await writeFile(at, text);
  return at;
}

/**
 * A server that answers `{"user": {"name": ...}}` for the bearer token of USERS, and counts the
 * requests; `answer(seen, own)` may answer otherwise.
 */
async function tokenServer(answer: (seen: number, own: string) => string = (_, own) => own) {
  const names = new Map(
    USERS.trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',').reverse() as [string, string]),
  );
  const counter = { seen: 0 };
  server = await listen((req, res) => {
    counter.seen += 1;
    const own = names.get(String(req.headers.authorization).replace('Bearer ', '')) ?? 'anonymous';
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ user: { name: answer(counter.seen, own) } }));
  });
  return { url: `${server.url}/me`, counter };
}

const asUsers = async () => [
  '-i',
  await file('users.csv', USERS),
  '-H',
  'authorization: Bearer {token}',
  '-e',
  '{name}',
];

describe('npx current-attributes-probe', () => {
  test('explains each option with an example in --help, and the exit codes', CLI_TIMEOUT, async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    const options = stdout
      .split('\n\n')
      .flatMap((block) => block.split(/\n(?= {2}-)/))
      .filter((block) => /^ {2}-/.test(block));
    expect(
      options.map((block) =>
        block
          .trim()
          .split(/\s+/)
          .find((word) => word.startsWith('--')),
      ),
    ).toEqual([
      '--identities',
      '--generate',
      '--method',
      '--header',
      '--body',
      '--expect',
      '--json-path',
      '--regex',
      '--connections',
      '--duration',
      '--requests',
      '--rate',
      '--warmup',
      '--timeout',
      '--examples',
      '--json',
      '--help',
    ]);
    for (const block of options.filter((block) => !block.includes('--help'))) expect(block).toContain('Example:');
    expect(stdout.slice(stdout.indexOf('Exit codes:')).match(/^ {2}\d+/gm)).toEqual([
      '  0',
      '  1',
      '  2',
      '  3',
      '  4',
      '  130',
    ]);
  });

  test('stops with code 2 and says what to pass when given no URL', CLI_TIMEOUT, async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(
      'Expected one URL to probe, such as `current-attributes-probe http://127.0.0.1:3000/me`, got 0.',
    );
  });

  test(
    'finds every leaked and unmatched answer, and shows the first in full: who asked, whose value came back',
    CLI_TIMEOUT,
    async () => {
      // The two sample requests come first; then the 5th request (user 3, carl) gets ann's name, the 6th nobody's.
      const { url } = await tokenServer((seen, own) => (seen === 5 ? 'ann' : seen === 6 ? 'nobody' : own));
      const users = await asUsers();
      const { code, stdout } = await runCli([url, ...users, '--json-path', 'user.name', '-c', '1', '-n', '8']);
      expect(code).toBe(1);
      expect(stdout).toMatch(/^\| 1 +\| +8 \| +100\.0 % \| +6 \| +1 \| +12\.5 \| +1 \| +0 \|/m);
      expect(stdout).toContain("LEAK: 1 of 8 checked answers carried another user's value. 1 carried no user's value");
      expect(stdout).toContain(
        [
          `1. User 3 (line 4 of ${users[1]}) asked, expecting \`carl\`, at 1 connection:`,
          '   GET /me',
          '   authorization: Bearer t-3',
          `   The answer (200) carried \`ann\`, the value of user 1 (line 2 of ${users[1]}):`,
          '   {"user":{"name":"ann"}}',
        ].join('\n'),
      );
      expect(stdout).toContain('The answer (200) carried `nobody`, a value no user expects:');
    },
  );

  test('prints JSON for machines with --json, and exits 0 when nothing leaked', CLI_TIMEOUT, async () => {
    const { url } = await tokenServer();
    const { code, stdout } = await runCli([
      url,
      ...(await asUsers()),
      '--json-path',
      'user.name',
      '-c',
      '1,2',
      '-n',
      '20',
      '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.verdict).toMatchObject({ kind: 'noLeak', exitCode: 0 });
    expect(result.identities).toMatchObject({ count: 4 });
    expect(
      result.runs.map(
        ({
          connections,
          complete,
          summary,
        }: {
          connections: number;
          complete: boolean;
          summary: { successful: number };
        }) => [connections, complete, summary.successful],
      ),
    ).toEqual([
      [1, true, 20],
      [2, true, 20],
    ]);
  });

  test(
    'warns when fewer users than connections could hide a leak between two requests of one user',
    CLI_TIMEOUT,
    async () => {
      server = await listen((req, res) => res.end(req.headers['x-user']));
      const { code, stderr } = await runCli([server.url, '--generate', '3', '-H', 'x-user: {i}', '-c', '4', '-n', '8']);
      expect(code).toBe(0);
      expect(stderr).toContain(
        'Warning: 3 users for up to 4 connections: some requests in flight at once belong to the same user, ' +
          'and a leak between them cannot be seen. Give more users.',
      );
    },
  );

  describe('stops with code 2 and a message that says how to fix it, before any load', () => {
    test('when nothing listens at the URL', CLI_TIMEOUT, async () => {
      const port = await freeLoopbackPort();
      const { code, stdout, stderr } = await runCli([`http://127.0.0.1:${port}/me?user={i}`]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim()).toBe(
        `Could not connect to http://127.0.0.1:${port} (ECONNREFUSED). Start the server, or check the host and port in the URL. No load was sent.`,
      );
    });

    test('when the rule finds nothing in the answer to the first sample request', CLI_TIMEOUT, async () => {
      const { url, counter } = await tokenServer();
      const { code, stderr } = await runCli([url, ...(await asUsers()), '--json-path', 'user.email']);
      expect(code).toBe(2);
      expect(stderr).toContain(
        'The rule (json path `user.email`) found nothing in the answer to the sample request for line 2 of',
      );
      expect(counter.seen).toBe(1);
    });

    test('when the identities file has duplicates or missing fields', CLI_TIMEOUT, async () => {
      const { url, counter } = await tokenServer();
      const duplicated = await file('duplicated.csv', 'name,token\nann,t-1\nbob,t-1\n');
      const missing = await file('missing.jsonl', '{"name":"ann","token":"t-1"}\n{"name":"bob"}\n');
      for (const [users, message] of [
        [duplicated, 'line 2 and line 3 send the same request.'],
        [missing, 'line 2 has no `token`, which header `authorization` uses.'],
      ]) {
        const { code, stderr } = await runCli([
          url,
          '-i',
          users as string,
          '-H',
          'authorization: Bearer {token}',
          '-e',
          '{name}',
        ]);
        expect(code).toBe(2);
        expect(stderr).toContain(message);
      }
      expect(counter.seen).toBe(0);
    });

    test('when the server breaks the connection instead of answering', CLI_TIMEOUT, async () => {
      server = await listen((req) => req.socket.destroy());
      const { code, stderr } = await runCli([`${server.url}/me?user={i}`]);
      expect(code).toBe(2);
      expect(stderr).toContain(
        `The sample request for user 1 of generated users to ${server.url} failed (ECONNRESET): the server broke the connection.`,
      );
    });

    test(
      'when the server answers the sample request with a redirect, which it does not follow',
      CLI_TIMEOUT,
      async () => {
        const counter = { seen: 0 };
        server = await listen((_req, res) => {
          counter.seen += 1;
          res.writeHead(302, { location: 'http://example.com/login' }).end();
        });
        const { code, stderr } = await runCli([`${server.url}/me?user={i}`]);
        expect(code).toBe(2);
        expect(stderr).toContain(
          'with 302 (a redirect to http://example.com/login: the probe follows none, so give it the final URL)',
        );
        expect(counter.seen).toBe(1);
      },
    );
  });
});
