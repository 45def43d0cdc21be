import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);

/** Two builds and four server processes: minutes on two busy cores, so the test waits as long as its command may. */
const BENCH_LIMIT_MS = 240_000;

describe('npm run bench', () => {
  test('runs end to end on tiny settings: table, targets, JSON and chart', {
    timeout: BENCH_LIMIT_MS + 10_000,
  }, async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'bench-smoke-'));
    try {
      // Through npm, as a user runs it: prebench builds the library and the benchmark first.
      const { stdout } = await run(
        'npm',
        [
          'run',
          'bench',
          '--',
          '--duration',
          '0.3',
          '--rounds',
          '2',
          '--warmup',
          '0',
          '--connections',
          '4',
          '--delays',
          '0',
          '--memory-requests',
          '500',
          '--out',
          out,
        ],
        { cwd: root, timeout: BENCH_LIMIT_MS },
      );
      expect(stdout).toContain('[1/1] 0 ms IO, 4 connections: global, global-lock, current, als');
      expect(stdout).toMatch(/\| current +\| 0 ms +\| +4 \|/);
      expect(stdout).toContain('current leaks nothing, at every setting: 0 leaked in 1 runs');
      const files = (await readdir(out)).sort();
      expect(files).toHaveLength(2);
      const json = JSON.parse(await readFile(path.join(out, files.find((f) => f.endsWith('.json')) as string), 'utf8'));
      expect(json.rows).toHaveLength(4);
      expect(json.rows[0].rounds).toHaveLength(2);
      expect(json.machine.cpuCount).toBeGreaterThan(0);
      expect(json.memory.requests).toBe(500);
      const html = await readFile(path.join(out, files.find((f) => f.endsWith('.html')) as string), 'utf8');
      expect(html).toContain('<svg');
      expect(html).toContain('Throughput at 0 ms IO');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  test('stops with a clear message and no stack for a bad argument', async () => {
    const failure = await run(process.execPath, ['bench/.build/cli.js', '--connections', 'many'], {
      cwd: root,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr.trim()).toBe(
      'Expected --connections to be an integer of at least 1, got `many`.',
    );
  });
});
