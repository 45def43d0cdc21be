import { build } from 'esbuild';

/**
 * Bundles `entry` (TypeScript, importing the built package by its name, and
 * Hono) into one ES module for workerd, which cannot read node_modules:
 * `node:` modules stay imports, served by workerd's `nodejs_compat`.
 * Bundling is what wrangler does for a deploy; esbuild is the bundler it uses.
 */
export async function bundleForWorkerd(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2023',
    conditions: ['workerd', 'worker', 'import', 'default'],
    mainFields: ['module', 'main'],
    external: ['node:*'],
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild wrote nothing for ${entry}.`);
  return output.text;
}
