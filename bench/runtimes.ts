import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The JavaScript runtimes besides Node that the library is measured on, each from the npm registry. */
export const OTHER_RUNTIMES = ['bun', 'deno', 'workerd'] as const;
export type OtherRuntime = (typeof OTHER_RUNTIMES)[number];

/** Where a runtime's binary comes from: an npm package that carries it, at a pinned version. */
export interface RuntimePackage {
  readonly label: string;
  readonly packageName: string;
  /** Pinned, so a run is repeatable and a new release is a one-line change that CI checks. */
  readonly version: string;
  /** The binary's path inside the package. */
  readonly binary: string;
}

export const RUNTIME_PACKAGES: Readonly<Record<OtherRuntime, RuntimePackage>> = {
  bun: { label: 'Bun', packageName: '@oven/bun-linux-x64', version: '1.4.5', binary: 'bin/bun' },
  deno: { label: 'Deno', packageName: '@deno/linux-x64-glibc', version: '2.9.6', binary: 'deno' },
  workerd: {
    label: 'workerd',
    packageName: '@cloudflare/workerd-linux-64',
    version: '1.20261201.1',
    binary: 'bin/workerd',
  },
};

/**
 * The directory runtimes are installed into: `CURRENT_ATTRIBUTES_RUNTIMES_DIR`,
 * else one under the system's temp dir, kept between runs.
 */
export function runtimesDir(): string {
  return process.env.CURRENT_ATTRIBUTES_RUNTIMES_DIR ?? join(tmpdir(), 'current-attributes-runtimes');
}

/**
 * The path of `runtime`'s binary, installed with npm from its package at the
 * pinned version the first time it is asked for (about 100 MB each).
 *
 * @example
 * ```ts
 * const bun = await runtimeBinary('bun'); // /tmp/current-attributes-runtimes/bun-1.4.5/node_modules/@oven/bun-linux-x64/bin/bun
 * ```
 */
export async function runtimeBinary(runtime: OtherRuntime): Promise<string> {
  const { packageName, version, binary } = RUNTIME_PACKAGES[runtime];
  const root = runtimesDir();
  const prefix = join(root, `${runtime}-${version}`);
  const path = join(prefix, 'node_modules', packageName, binary);
  if (existsSync(path)) return path;
  mkdirSync(root, { recursive: true });
  // Installed aside and moved in whole: two runs that install at once never see half a package.
  const staging = mkdtempSync(join(root, `.${runtime}-`));
  try {
    await run('npm', [
      'install',
      '--prefix',
      staging,
      '--no-save',
      '--no-audit',
      '--no-fund',
      `${packageName}@${version}`,
    ]);
    try {
      renameSync(staging, prefix);
    } catch (error) {
      if (!existsSync(path)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return path;
}
