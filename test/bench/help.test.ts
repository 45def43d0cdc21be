import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);

/** npm echoes every script it runs: a build shows as "> current-attributes@x.y.z build" (or prebench). */
const BUILD = /> current-attributes@\S+ (pre)?build|prebench|tsc -p/;

describe('npm run bench, before building anything', () => {
  test('prints the usage without building the library or the benchmark first', async () => {
    const { stdout } = await run('npm', ['run', 'bench', '--', '--help'], { cwd: root });
    expect(stdout).toContain('Usage: npm run bench -- [options]');
    expect(stdout).toContain('--framework <list>');
    expect(stdout).not.toMatch(BUILD);
  });

  test('stops at a bad argument with a clear message, exit code 2 and no stack', async () => {
    const failure = await run('npm', ['run', 'bench', '--', '--connections', 'many'], { cwd: root }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2 });
    const { stdout, stderr } = failure as { stdout: string; stderr: string };
    expect(stderr).toContain('Expected --connections to be an integer of at least 1, got `many`.');
    expect(stderr).not.toContain('    at ');
    expect(stdout).not.toMatch(BUILD);
  });
});
