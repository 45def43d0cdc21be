import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { importCycles, readImportGraph } from './support/import-graph.js';
import { layerViolations } from './support/layers.js';

const root = fileURLToPath(new URL('../', import.meta.url));

describe('the tree keeps the architecture of docs/architecture.md', () => {
  test('no file of src/ or of a workspace package imports beyond its layer', async () => {
    const graph = await readImportGraph(root, ['src', 'packages']);
    expect(graph.files.length).toBeGreaterThan(50);
    expect(layerViolations(graph)).toEqual([]);
  });

  test('nothing in src/, bench/, packages/, examples/ or test/ imports in a circle', async () => {
    const graph = await readImportGraph(root, ['src', 'bench', 'packages', 'examples', 'test']);
    expect(importCycles(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });
});

describe('the architecture check', () => {
  const made: string[] = [];
  afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

  /** A throwaway tree of `files` (path -> source) to check. */
  async function tree(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'architecture-'));
    made.push(dir);
    for (const [file, source] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), source);
    }
    return dir;
  }

  test('reports the core importing the request lifecycle, and the import cycle that makes', async () => {
    const dir = await tree({
      'src/core/scope.ts': "import { watch } from '../request/watch.js';\nexport const scope = watch;\n",
      'src/request/watch.ts': "import type { Scope } from '../core/scope.js';\nexport const watch = 1;\n",
    });
    const graph = await readImportGraph(dir, ['src']);
    expect(layerViolations(graph)).toEqual([
      'src/core/scope.ts (core) imports src/request/watch.ts (request), which core may not import',
    ]);
    expect(importCycles(graph)).toEqual([['src/core/scope.ts', 'src/request/watch.ts', 'src/core/scope.ts']]);
  });

  test('reports one adapter importing another, a framework in the core, and a stray folder; Nest may mount Express', async () => {
    const dir = await tree({
      'src/adapters/koa/index.ts': "export { lock } from '../express/lock.js';\n",
      'src/adapters/nestjs/module.ts':
        "import { lock } from '../express/lock.js';\nimport { app } from '../hono/app.js';\n",
      'src/adapters/hono/app.ts': 'export const app = 1;\n',
      'src/adapters/express/lock.ts': "import express from 'express';\nexport const lock = express;\n",
      'src/core/current.ts': "import type { Request } from 'express';\nimport { x } from 'node:async_hooks';\n",
      'src/helpers/misc.ts': 'export {};\n',
    });
    expect(layerViolations(await readImportGraph(dir, ['src']))).toEqual([
      'src/helpers/misc.ts is in no layer: add its folder to LAYERS in test/support/layers.ts',
      'src/adapters/koa/index.ts (adapters/koa) imports src/adapters/express/lock.ts (adapters/express), which adapters/koa may not import',
      'src/adapters/nestjs/module.ts (adapters/nestjs) imports src/adapters/hono/app.ts (adapters/hono), which adapters/nestjs may not import',
      'src/core/current.ts (core) imports the package express: this layer uses only node: built-ins',
    ]);
  });

  test('reports a workspace package reaching into the library’s sources instead of its published name', async () => {
    const dir = await tree({
      'packages/probe/src/run.ts':
        "import { loadAndVerify } from '../../../src/testing/load-and-verify.js';\nimport { x } from 'current-attributes/testing';\n",
      'src/testing/load-and-verify.ts': 'export const loadAndVerify = 1;\n',
    });
    expect(layerViolations(await readImportGraph(dir, ['src', 'packages']))).toEqual([
      'packages/probe/src/run.ts imports ../../../src/testing/load-and-verify.js, outside packages/probe/: import the library by its package name',
    ]);
  });

  test('accepts the probe in its own package, the library by its name, its tests sharing the repository’s helpers', async () => {
    const dir = await tree({
      'packages/probe/src/cli.ts': "import { main } from './command.js';\n",
      'packages/probe/src/command.ts':
        "import { loadAndVerify } from 'current-attributes/testing';\nexport const main = 1;\n",
      'packages/probe/test/command.test.ts': "import { startServer } from '../../../test/support/server.js';\n",
      'src/testing/load.ts': 'export const loadAndVerify = 1;\n',
    });
    expect(layerViolations(await readImportGraph(dir, ['src', 'packages']))).toEqual([]);
  });

  test('reports the probe put back into src/: it is in no layer', async () => {
    const dir = await tree({
      'src/cli.ts': "import { main } from './probe/command.js';\n",
      'src/probe/command.ts': 'export const main = 1;\n',
    });
    expect(layerViolations(await readImportGraph(dir, ['src', 'packages']))).toEqual([
      'src/cli.ts is in no layer: add its folder to LAYERS in test/support/layers.ts',
      'src/probe/command.ts is in no layer: add its folder to LAYERS in test/support/layers.ts',
    ]);
  });

  test('finds a cycle through three files however it is entered, and no cycle in a chain', async () => {
    const dir = await tree({
      'bench/a.ts': "import './b.js';\n",
      'bench/b.ts': "export * from './c.js';\n",
      'bench/c.ts': "const a = await import('./a.js');\n",
      'bench/d.ts': "import './a.js';\n",
      'bench/e.ts': "import './d.js';\n",
    });
    expect(importCycles(await readImportGraph(dir, ['bench']))).toEqual([
      ['bench/a.ts', 'bench/b.ts', 'bench/c.ts', 'bench/a.ts'],
    ]);
  });
});
