import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('./', import.meta.url));
const { exports } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  exports: Record<string, string | { default: string }>;
};

// Tests and examples import the package by name, as users do; each subpath
// points at its sources (the built file's path under src/, as .ts), so no
// build is needed first and package.json's exports stay the one map.
const alias = Object.entries(exports).flatMap(([subpath, target]) => {
  if (typeof target === 'string') return [];
  const name = `current-attributes${subpath.slice(1)}`;
  const source = target.default.replace(/^\.\/dist\//, `${root}src/`).replace(/\.js$/, '.ts');
  return [{ find: new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`), replacement: source }];
});

/** The files that hold NestJS decorators: those in a folder named `nestjs`, wherever the checkout lives. */
const NEST_FILES = /[\\/]nestjs[\\/][^\\/]+\.ts$/;

// NestJS code needs decorator metadata (emitDecoratorMetadata) for its
// dependency injection, which Vite's own TypeScript transform (oxc) does not
// emit: swc compiles the Nest tests and examples, oxc the rest. The swc
// plugin's config hook would turn oxc off for every file (and make Vite warn
// about its `esbuild: false`), so it is dropped and oxc only skips the Nest
// files; a path that merely contains "nestjs", such as a checkout folder,
// sends nothing through swc.
const swcForNestFiles = {
  ...swc.vite({
    include: NEST_FILES,
    tsconfigFile: false,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
      target: 'es2022',
    },
  }),
  config: undefined,
};

export default defineConfig({
  plugins: [swcForNestFiles],
  oxc: { exclude: NEST_FILES },
  resolve: { alias },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    globalSetup: ['test/support/redis-global-setup.ts', 'test/support/postgres-global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
