import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

/** What a checkout holds that `npm pack` may need: the sources and the build settings, never `dist/`. */
const CHECKOUT = [
  'src',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
];

/** A tarball made by `npm pack`, and the paths it holds. */
export interface PackedPackage {
  readonly tarball: string;
  readonly files: readonly string[];
}

/** The probe's part of a checkout: its sources and build settings, never its `dist/` or tests. */
const PROBE_CHECKOUT = ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE'];

/**
 * Packs the package as `npm pack` does in a fresh clone, where no `dist/`
 * exists and the package's own `prepack` must build it. The copy is made
 * under `work`, so `npm run bench` rebuilding this repository's `dist/`
 * meanwhile cannot change what is packed.
 */
export async function packFromSources(work: string): Promise<PackedPackage> {
  return pack(await checkoutIn(work), '.', work);
}

/**
 * Packs the library, then the probe (`packages/probe`), from one fresh
 * checkout, as a release would: the probe's build compiles against the
 * library's built declarations.
 */
export async function packProbeFromSources(work: string): Promise<{ library: PackedPackage; probe: PackedPackage }> {
  const checkout = await checkoutIn(work);
  for (const entry of PROBE_CHECKOUT) {
    const probe = path.join('packages', 'probe', entry);
    await cp(path.join(root, probe), path.join(checkout, probe), { recursive: true });
  }
  const library = await pack(checkout, '.', work);
  return { library, probe: await pack(checkout, 'packages/probe', work) };
}

async function checkoutIn(work: string): Promise<string> {
  const checkout = await mkdtemp(path.join(work, 'checkout-'));
  for (const entry of CHECKOUT) await cp(path.join(root, entry), path.join(checkout, entry), { recursive: true });
  // The installed dev dependencies, as `npm ci` would install them from the same lockfile.
  await symlink(path.join(root, 'node_modules'), path.join(checkout, 'node_modules'), 'dir');
  return checkout;
}

async function pack(checkout: string, directory: string, destination: string): Promise<PackedPackage> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: path.join(checkout, directory),
    maxBuffer: 16 * 1024 * 1024,
  });
  const [{ filename, files }] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  return { tarball: path.join(destination, filename), files: files.map((file) => file.path) };
}

/** Unpacks `tarball` as `app/node_modules/current-attributes`, without installing any dependency. */
export async function unpackInto(app: string, tarball: string): Promise<string> {
  const target = path.join(app, 'node_modules', 'current-attributes');
  await mkdir(target, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  return target;
}

/** Links packages of this repository's `node_modules` into `app/node_modules`, as if installed there. */
export async function linkInstalled(app: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const link = path.join(app, 'node_modules', name);
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(path.join(root, 'node_modules', name), link, 'dir');
  }
}
