import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listen } from '../../../test/support/listen.js';
import { packProbeFromSources } from '../../../test/support/pack.js';

const run = promisify(execFile);
/** Two builds, two packs and an install from npm's cache: a minute or two on two busy cores. */
const INSTALL_LIMIT_MS = 300_000;

let work: string;
let app: string;

/** Runs the installed command in the app, as a user's `npx current-attributes-probe ...` does. */
const npx = (args: readonly string[]) =>
  run('npx', ['--no-install', 'current-attributes-probe', ...args], { cwd: app, timeout: 60_000 }).catch(
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'probe-bin-'));
  app = path.join(work, 'app');
  await mkdir(app, { recursive: true });
  const { library, probe } = await packProbeFromSources(work);
  await writeFile(path.join(app, 'package.json'), '{ "name": "probe-user", "private": true }\n');
  // The library's tarball beside the probe's: the release the probe's dependency on it names.
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', library.tarball, probe.tarball], {
    cwd: app,
    timeout: INSTALL_LIMIT_MS,
  });
}, INSTALL_LIMIT_MS + 60_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('the installed probe', () => {
  test('installs the command with only its own dependencies, the library’s load engine among them', async () => {
    const bin = await readFile(path.join(app, 'node_modules/current-attributes-probe/dist/cli.js'), 'utf8');
    expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true);
    for (const name of ['autocannon', 'csv-parse', 'current-attributes']) {
      expect(existsSync(path.join(app, 'node_modules', name))).toBe(true);
    }
    expect(existsSync(path.join(app, 'node_modules/tsx'))).toBe(false);
  });

  test('answers `npx current-attributes-probe --help`', { timeout: 60_000 }, async () => {
    const { stdout } = await npx(['--help']);
    expect(stdout).toContain('Usage: npx current-attributes-probe <url> [options]');
  });

  test('probes a server with `npx current-attributes-probe <url>`, on plain Node', { timeout: 60_000 }, async () => {
    const server = await listen((req, res) => res.end(req.headers['x-user']));
    try {
      const outcome = await npx([
        `${server.url}/me`,
        '-H',
        'x-user: user-{i}',
        '-e',
        'user-{i}',
        '-c',
        '1,2',
        '-n',
        '20',
        '--json',
      ]);
      expect(JSON.parse(outcome.stdout).verdict).toEqual({
        kind: 'noLeak',
        exitCode: 0,
        text: "No leak: none of 40 checked answers carried another user's value.",
      });
      expect('code' in outcome ? outcome.code : 0).toBe(0);
    } finally {
      await server.close();
    }
  });
});
