import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type OtherRuntime, runtimeBinary } from '../../../bench/runtimes.js';

/** Node (the one running this, TypeScript through tsx), Bun, Deno or workerd. */
export type Runtime = 'node' | OtherRuntime;

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The runtime's version as the page prints it: `v20.20.2`, `1.4.5`, `2.9.6`, `2026-12-01`. */
export async function versionOf(runtime: Runtime): Promise<string> {
  if (runtime === 'node') return process.version;
  const output = execFileSync(await runtimeBinary(runtime), ['--version'], { encoding: 'utf8' });
  return (output.split('\n')[0] ?? '')
    .replace(/^(deno|workerd) /, '')
    .replace(/ \(.*/, '')
    .trim();
}

/**
 * The command that runs the TypeScript file `file` with `args` on `runtime`:
 * Bun and Deno run TypeScript themselves; Deno with every permission, since
 * the suites open sockets, spawn workers and read node_modules; with
 * sloppy imports, which resolve the `.js` specifiers of TypeScript sources as tsc does.
 */
export async function commandFor(
  runtime: Exclude<Runtime, 'workerd'>,
  file: string,
  args: string[],
): Promise<string[]> {
  if (runtime === 'node') return [process.execPath, '--import', 'tsx', file, ...args];
  const binary = await runtimeBinary(runtime);
  return runtime === 'bun' ? [binary, file, ...args] : [binary, 'run', '-A', '--sloppy-imports', file, ...args];
}

/** A child process started in the repository's root, its output kept for a failure's message. */
export interface Child {
  readonly process: ChildProcess;
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `command` and resolves once a line of its stdout matches `ready`
 * (with that line), or rejects when it exits first or `timeoutMs` passes.
 */
export function start(command: string[], ready: RegExp, timeoutMs: number): Promise<{ child: Child; line: string }> {
  const [file = '', ...args] = command;
  const child = spawn(file, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  const handle: Child = { process: child, output: () => output, stop };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`${command.slice(0, 4).join(' ')} ${why}:\n${output.slice(-2000)}`));
    };
    child.once('exit', (code, signal) => fail(`exited with ${signal ?? code}`));
    child.once('error', (error) => fail(error.message));
    child.stderr?.on('data', (chunk) => {
      output = (output + chunk).slice(-20_000);
    });
    child.stdout?.on('data', (chunk) => {
      output = (output + chunk).slice(-20_000);
      const line = output.split('\n').find((candidate) => ready.test(candidate));
      if (line === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ child: handle, line });
    });
  });
}
