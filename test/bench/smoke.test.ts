import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);

/** Builds, sixteen server processes one framework at a time, and valgrind: minutes on two busy cores. */
const BENCH_LIMIT_MS = 300_000;

let out: string;
beforeEach(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'bench-smoke-'));
});
afterEach(() => rm(out, { recursive: true, force: true }));

/** Runs `npm run bench` as a user does (it builds first), on tiny settings. */
async function bench(...args: string[]): Promise<{ stdout: string; files: Record<string, string> }> {
  const tiny = ['--duration', '0.2', '--warmup', '0', '--connections', '10', '--delays', '0', '--out', out];
  const { stdout } = await run('npm', ['run', 'bench', '--', ...tiny, ...args], { cwd: root, timeout: BENCH_LIMIT_MS });
  const names = await readdir(out);
  const files: Record<string, string> = {};
  for (const name of names) files[path.extname(name).slice(1)] = await readFile(path.join(out, name), 'utf8');
  return { stdout, files };
}

describe('npm run bench', () => {
  test('runs every framework with its peer side by side: tables, targets, JSON and chart', {
    timeout: BENCH_LIMIT_MS + 10_000,
  }, async () => {
    const { stdout, files } = await bench(
      '--framework',
      'all',
      '--strategies',
      'bare,current,peer',
      '--rounds',
      '2',
      '--memory-requests',
      '200',
      '--cost',
      'none',
    );
    expect(stdout).toContain('[1/12] express, 0 ms IO, 10 connections: bare, current, peer');
    expect(stdout).toContain('[9/12] http, 0 ms IO, 10 connections: bare, current');
    for (const framework of ['express', 'fastify', 'koa', 'hono', 'http', 'nest'])
      expect(stdout).toContain(`\n${framework}:\n`);
    expect(stdout).toMatch(/\| @fastify\/request-context +\| 0 ms +\| +10 \|/);
    expect(stdout).toMatch(/\| hono +\| +[\d.]+x \(/);
    expect(stdout).toContain('met         koa: current leaks nothing, at every setting: 0 of');
    expect(Object.keys(files).sort()).toEqual(['html', 'json', 'svg']);
    const json = JSON.parse(files.json as string);
    expect(json.rows).toHaveLength(16);
    expect(json.rows[0]).toMatchObject({ framework: 'express', strategy: 'bare', rounds: [{}, {}] });
    expect(json.memory.map((check: { framework: string }) => check.framework)).toEqual([
      'express',
      'fastify',
      'koa',
      'hono',
      'http',
      'nest',
    ]);
    expect(json.machine.packages).toMatchObject({ fastify: expect.any(String), hono: expect.any(String) });
    expect(files.svg).toContain('hono/context-storage');
    expect(files.html).toContain('<svg');
  });

  test('counts the cost per request next to req/s, and says in what', {
    timeout: BENCH_LIMIT_MS + 10_000,
  }, async () => {
    const { stdout, files } = await bench(
      '--strategies',
      'current,als',
      '--rounds',
      '1',
      '--memory-requests',
      '0',
      '--cost',
      'current',
      '--cost-requests',
      '20,60',
    );
    expect(stdout).toMatch(
      /Cost per warm request at 0 ms IO, in (instructions on the event loop \(the main thread\) counted by valgrind|server CPU time)/,
    );
    expect(stdout).toMatch(/\| express +\| current +\| +[\d,.]+(k instructions| µs CPU) \|/);
    expect(JSON.parse(files.json as string).cost.figures).toEqual([
      expect.objectContaining({ framework: 'express', strategy: 'current', perRequest: expect.any(Number) }),
    ]);
  });
});
