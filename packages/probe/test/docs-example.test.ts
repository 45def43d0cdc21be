import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ExampleServer, startExampleServer } from '../../../test/support/example-server.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const quickStart = fileURLToPath(new URL('../../../examples/quick-start/server.ts', import.meta.url));

/** The first shell command of docs/probe.md, as a reader copies it. */
async function firstExample(): Promise<string> {
  const page = await readFile(new URL('../../../docs/probe.md', import.meta.url), 'utf8');
  return (/```sh\n([\s\S]*?)\n```/.exec(page) as RegExpExecArray)[1] as string;
}

let server: ExampleServer;
beforeAll(async () => {
  server = await startExampleServer(['--import', 'tsx', quickStart]);
});
afterAll(() => server.stop());

describe('the first example of docs/probe.md', () => {
  test('probes the README’s quick start as written, with a user for every connection, and finds no leak', {
    timeout: 90_000,
  }, async () => {
    const example = await firstExample();
    expect(example).toMatch(/^npx current-attributes-probe http:\/\/127\.0\.0\.1:3000\/me /);
    // As written, parsed by bash as a reader's shell would; only the port is the quick start's free one, and
    // `npx current-attributes-probe` is this checkout's probe (.ci/check-packed-install runs the packed one).
    const command = example
      .replace('npx current-attributes-probe', `"$0" --import tsx packages/probe/src/cli.ts`)
      .replace('http://127.0.0.1:3000', server.url);
    const { stdout, stderr } = await run('bash', ['-c', command, process.execPath], { cwd: root, timeout: 80_000 });
    // Exit code 0 (execFile rejects on any other), one row per default connection count, every answer the asker's.
    expect(stdout.match(/^\| \d+ /gm)).toEqual(['| 1 ', '| 10 ', '| 50 ']);
    expect(stdout).toMatch(/^No leak: none of [\d,]+ checked answers carried another user's value\.$/m);
    // As many users as the largest connection count, or more: no warning that a leak could hide.
    expect(stderr).not.toContain('Warning');
  });
});
