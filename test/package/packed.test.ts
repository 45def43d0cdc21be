import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { askConcurrently, startExampleServer } from '../support/example-server.js';
import { linkInstalled, type PackedPackage, packFromSources, unpackInto } from '../support/pack.js';

const run = promisify(execFile);
const consumer = fileURLToPath(new URL('./consumer/', import.meta.url));
/** A build and a pack on two busy cores. */
const PACK_LIMIT_MS = 180_000;
/** One `tsc` that checks every declaration file, @types/node included. */
const TSC_LIMIT_MS = 90_000;

/** The optional peers whose types each subpath may need: its framework, or Redis (shared with `.ci/check-packed-install`). */
const PEERS_OF: Record<string, readonly string[]> = JSON.parse(
  await readFile(new URL('./consumer/peers.json', import.meta.url), 'utf8'),
);

let work: string;
let packed: PackedPackage;
let installed: string;
let exportsMap: Record<string, string | { types: string }>;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'packed-types-'));
  packed = await packFromSources(work);
  installed = await unpackInto(path.join(work, 'app'), packed.tarball);
  exportsMap = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')).exports;
}, PACK_LIMIT_MS);
afterAll(() => rm(work, { recursive: true, force: true }));

const subpaths = () => Object.keys(exportsMap).filter((subpath) => subpath !== './package.json');
const specifier = (subpath: string) => `current-attributes${subpath.slice(1)}`;

/** The package a bare specifier names: `hono` for `hono/http-exception`, `@hono/node-server` for itself. */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Every bare module name the declarations of `entry` import, following its relative imports. */
async function bareImportsOf(entry: string): Promise<Set<string>> {
  const bare = new Set<string>();
  const seen = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const { importedFiles } = ts.preProcessFile(await readFile(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith('.')) pending.push(path.resolve(path.dirname(file), fileName.replace(/\.js$/, '.d.ts')));
      else if (!fileName.startsWith('node:')) bare.add(packageOf(fileName));
    }
  }
  return bare;
}

describe('the package packed from a fresh checkout', () => {
  test('holds the built files every export points into', () => {
    const targets = Object.values(exportsMap).flatMap((target) =>
      typeof target === 'string' ? [target] : Object.values(target),
    );
    const missing = targets.map((target) => target.replace(/^\.\//, '')).filter((file) => !packed.files.includes(file));
    expect(missing).toEqual([]);
  });

  test('exports every subpath the docs name, node:http’s included', () => {
    expect(subpaths().sort()).toEqual(Object.keys(PEERS_OF).sort());
  });

  test.each(Object.entries(PEERS_OF))(
    'declares types for %s that import no optional peer but %j',
    async (subpath, peers) => {
      const target = exportsMap[subpath] as { types: string };
      const imported = [...(await bareImportsOf(path.join(installed, target.types)))];
      // A framework's types package stands for the framework (`koa` resolves to @types/koa).
      expect(imported.filter((name) => !peers.includes(name) && !peers.includes(`@types/${name}`))).toEqual([]);
    },
  );

  test('type-checks the subpaths that need no framework, with no optional peer installed and skipLibCheck off', {
    timeout: TSC_LIMIT_MS,
  }, async () => {
    const app = path.join(work, 'app');
    await cp(consumer, app, { recursive: true });
    await linkInstalled(app, ['typescript', '@types/node']);
    const peerless = subpaths().filter((subpath) => PEERS_OF[subpath]?.length === 0);
    const imports = peerless.map((subpath, i) => `export * as subpath${i} from '${specifier(subpath)}';\n`);
    await writeFile(path.join(app, 'index.ts'), imports.join(''));
    const tsc = path.join(app, 'node_modules/typescript/bin/tsc');
    const outcome = await run(process.execPath, [tsc, '-p', app, '--noEmit'], { cwd: app }).catch(
      (error: { stdout: string }) => error,
    );
    expect(outcome.stdout).toBe('');
  });
});

describe('optional peers that are not installed', () => {
  test('no subpath but NestJS’s needs one when imported or required', async () => {
    const app = path.join(work, 'no-peers');
    await unpackInto(app, packed.tarball);
    // Nest's decorators run as its classes are defined: that subpath throws NestPeerMissingError, checked below.
    const names = subpaths()
      // Hono's adapter imports hono/streaming for its streaming helpers, on every runtime: it needs hono, its framework.
      .filter((subpath) => subpath !== './nestjs' && subpath !== './hono')
      .map(specifier);
    const script = `for (const name of ${JSON.stringify(names)}) { await import(name); require(name); }`;
    const { stderr } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module';\nconst require = createRequire(process.cwd() + '/');\n${script}`,
      ],
      { cwd: app },
    );
    expect(stderr).toBe('');
  });

  // Each peer the library loads at run time, with the other peers its subpath needs.
  test.each([
    { peer: 'autocannon', others: [], needer: 'loadAndVerify' },
    { peer: 'fast-check', others: [], needer: 'exploreSchedules' },
    { peer: 'redis-semaphore', others: ['ioredis'], needer: 'redisBackend' },
    { peer: '@opentelemetry/api', others: [], needer: 'currentTraceIds' },
  ])(
    'without $peer, `$needer` throws MissingPeerDependencyError with the command that installs it',
    async ({ peer, others, needer }) => {
      const app = path.join(work, `without-${peer.replace('/', '-')}`);
      await unpackInto(app, packed.tarball);
      await linkInstalled(app, others);
      await cp(path.join(consumer, 'missing-peers.mjs'), path.join(app, 'missing-peers.mjs'));
      const { stdout } = await run(process.execPath, ['missing-peers.mjs', peer], { cwd: app });
      expect(stdout).toContain(`\`${needer}\``);
      expect(stdout).toContain(
        `needs \`${peer}\`, an optional peer dependency of current-attributes that is not installed.`,
      );
    },
  );

  test('without @hono/node-server, the adapter and its locks load and serve app.request()', async () => {
    const app = path.join(work, 'without-hono-node-server');
    await unpackInto(app, packed.tarball);
    await linkInstalled(app, ['hono']);
    await cp(path.join(consumer, 'missing-peers.mjs'), path.join(app, 'missing-peers.mjs'));
    const { stdout } = await run(process.execPath, ['missing-peers.mjs', '@hono/node-server'], { cwd: app });
    expect(stdout).toBe('current-attributes/hono serves app.request() without @hono/node-server.\n');
  });

  test('without the NestJS packages, importing current-attributes/nestjs throws NestPeerMissingError, a MissingPeerDependencyError', async () => {
    const app = path.join(work, 'without-nestjs');
    await unpackInto(app, packed.tarball);
    await cp(path.join(consumer, 'missing-peers.mjs'), path.join(app, 'missing-peers.mjs'));
    const { stdout } = await run(process.execPath, ['missing-peers.mjs', '@nestjs/common'], { cwd: app });
    expect(stdout).toContain('current-attributes/nestjs needs `@nestjs/common`');
  });

  test('fastify-plugin is no peer: fastifyCurrent applies to the whole app without it', async () => {
    const app = path.join(work, 'without-fastify-plugin');
    await unpackInto(app, packed.tarball);
    await linkInstalled(app, ['fastify']);
    await cp(path.join(consumer, 'missing-peers.mjs'), path.join(app, 'missing-peers.mjs'));
    const { stdout } = await run(process.execPath, ['missing-peers.mjs', 'fastify-plugin'], { cwd: app });
    expect(stdout).toBe('fastifyCurrent applies to the whole app without fastify-plugin.\n');
  });
});

describe('two copies of the package in one app', () => {
  /** Loads the copy installed at `directory` (a package root), as Node would from there. */
  const load = async (directory: string) =>
    (await import(pathToFileURL(path.join(directory, 'dist/index.js')).href)) as typeof import('current-attributes');

  test("keep two storages: a scope of one is no scope for the other's Current, and the error says how to find the copies", async () => {
    const app = path.join(work, 'two-copies');
    // The app's own copy, and an older one that a library it depends on brought along.
    const appCopy = await load(await unpackInto(app, packed.tarball));
    const libraryCopy = await load(await unpackInto(path.join(app, 'node_modules', 'reports'), packed.tarball));
    class Attributes {
      user?: string;
    }
    const AppCurrent = appCopy.defineCurrent(Attributes, { name: 'AppCurrent' });
    const LibraryCurrent = libraryCopy.defineCurrent(Attributes, { name: 'LibraryCurrent' });

    const libraryWrite = AppCurrent.run(() => {
      AppCurrent.user = 'ann';
      expect(AppCurrent.user).toBe('ann');
      try {
        LibraryCurrent.user = 'ann';
      } catch (error) {
        return error;
      }
    });

    expect(libraryWrite).toBeInstanceOf(libraryCopy.ScopeMissingError);
    // Each copy has its own error classes too: `instanceof` with the app's class says no.
    expect(libraryWrite).not.toBeInstanceOf(appCopy.ScopeMissingError);
    expect((libraryWrite as Error).message).toContain('npm ls current-attributes');
  });
});

describe('plain JavaScript, on plain Node, with the package installed', () => {
  const examples = fileURLToPath(new URL('../../examples/javascript/', import.meta.url));
  let app: string;
  beforeAll(async () => {
    app = path.join(work, 'javascript');
    await unpackInto(app, packed.tarball);
    await linkInstalled(app, ['express']);
    for (const file of ['server.mjs', 'require.cjs']) await cp(path.join(examples, file), path.join(app, file));
  });

  test('serves the quick start written in JavaScript, each request with its own user', async () => {
    const server = await startExampleServer(['server.mjs'], app);
    try {
      expect(await askConcurrently(server.url, 30)).toEqual({ wrongUser: [], requestIds: 30 });
    } finally {
      await server.stop();
    }
  });

  test('loads the package with require() from CommonJS', async () => {
    const { stdout } = await run(process.execPath, ['require.cjs'], { cwd: app });
    expect(stdout).toBe('Ann reads in en\noutside a scope: undefined\n');
  });
});
