import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { SAMPLE_COUNT } from '../src/samples.js';
import { runCli } from './support/cli.js';

const script = fileURLToPath(new URL('./support/current_user_server.py', import.meta.url));
const CONNECTIONS = 4;
const REQUESTS = 400;

let python: ChildProcess | undefined;
afterEach(async () => {
  if (python && python.exitCode === null && python.signalCode === null) {
    const exited = once(python, 'exit');
    python.kill();
    await exited;
  }
  python = undefined;
});

/** Starts the Python server in `mode`, holding requests in rounds of one per connection, and resolves with its URL. */
async function startPythonServer(mode: 'global' | 'local'): Promise<string> {
  python = spawn('python3', ['-u', script, mode, String(CONNECTIONS), String(SAMPLE_COUNT)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [port] = (await once(python.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return `http://127.0.0.1:${String(port).trim()}/me`;
}

const probeArgs = (url: string) => [
  url,
  '-H',
  'x-user: user-{i}',
  '--expect',
  'user-{i}',
  '--json-path',
  'user',
  '-c',
  String(CONNECTIONS),
  '-n',
  String(REQUESTS),
  '--json',
];

const pythonInstalled = (() => {
  try {
    execFileSync('python3', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!pythonInstalled && process.env.CI !== 'true')('the probe against a server that is not Node', () => {
  test('catches a Python http.server that keeps the current user in a module-level variable', {
    timeout: 60_000,
  }, async () => {
    const { code, stdout } = await runCli(probeArgs(await startPythonServer('global')));
    const result = JSON.parse(stdout);
    expect(code).toBe(1);
    // In each round of 4, at least the 3 that set the user before the last one answer with another's.
    expect(result.runs[0].summary.leaked).toBeGreaterThanOrEqual((REQUESTS * (CONNECTIONS - 1)) / CONNECTIONS);
    expect(result.leaks[0].carriedFrom.user).not.toBe(result.leaks[0].askedBy.user);
  });

  test('passes its fixed version, which keeps the user in a variable of the request', { timeout: 60_000 }, async () => {
    const { code, stdout } = await runCli(probeArgs(await startPythonServer('local')));
    expect(code).toBe(0);
    expect(JSON.parse(stdout).runs[0].summary).toMatchObject({ successful: REQUESTS, leaked: 0, failed: 0 });
  });
});
