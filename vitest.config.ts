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

export default defineConfig({
  // NestJS code needs decorator metadata (emitDecoratorMetadata) for its
  // dependency injection, which esbuild does not emit: swc compiles the
  // Nest tests and examples, esbuild the rest.
  plugins: [
    swc.vite({
      include: /nestjs.*\.ts$/,
      tsconfigFile: false,
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
        target: 'es2022',
      },
    }),
  ],
  resolve: { alias },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    globalSetup: ['test/support/redis-global-setup.ts', 'test/support/postgres-global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
