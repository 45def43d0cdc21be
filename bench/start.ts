// `npm run bench`: builds the library and the benchmark, then runs it as plain
// compiled JavaScript in a process of its own. Run by tsx, so `--help` is
// answered from the sources at once, without building anything.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { USAGE } from './args.js';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
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
