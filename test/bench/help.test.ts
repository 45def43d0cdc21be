import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);

describe('npm run bench -- --help', () => {
  test('prints the usage without building the library or the benchmark first', async () => {
    const { stdout } = await run('npm', ['run', 'bench', '--', '--help'], { cwd: root });
    expect(stdout).toContain('Usage: npm run bench -- [options]');
    expect(stdout).toContain('--framework <list>');
    // npm echoes every script it runs: a build would show as "> current-attributes@x.y.z build" or prebench.
    expect(stdout).not.toMatch(/> current-attributes@\S+ (pre)?build|prebench|tsc -p/);
  });
});
