// `npm run bench`: builds the library and the benchmark, then runs it as plain
// compiled JavaScript in a process of its own. Run by tsx, so `--help` and a
// bad command line are answered from the sources at once, before any build.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BenchArgumentError, parseBenchArgs, USAGE } from './args.js';
import { RUNTIME_PACKAGES, runtimeBinary } from './runtimes.js';

const args = process.argv.slice(2);
try {
  const settings = parseBenchArgs(args);
  if (settings === undefined) {
    console.log(USAGE);
    process.exit(0);
  }
  // Bun or Deno from the npm registry, at the version the runtime suite pins, unless --node names a binary.
  if (settings.runtime !== 'node' && !args.includes('--node')) {
    console.log(
      `Installing ${RUNTIME_PACKAGES[settings.runtime].packageName}@${RUNTIME_PACKAGES[settings.runtime].version} (once)...`,
    );
    args.push('--node', await runtimeBinary(settings.runtime));
  }
} catch (error) {
  if (!(error instanceof BenchArgumentError)) throw error;
  console.error(error.message);
  process.exit(2);
}

const root = fileURLToPath(new URL('..', import.meta.url));
for (const [command, ...rest] of [
  ['npm', 'run', 'build'],
  ['npx', 'tsc', '-p', 'bench/tsconfig.json'],
] as const) {
  const { status } = spawnSync(command, rest, { cwd: root, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}

const bench = spawn(process.execPath, ['bench/.build/cli.js', ...args], { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches the benchmark too (one process group): it stops its servers and exits, and this follows.
process.on('SIGINT', () => undefined);
bench.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
