import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { watchText } from '../../../../test/support/text-watch.js';
import { probeCommand } from '../../src/command.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** Children still running: a probe that never ends must not outlive the test run that started it. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** How a run of the command ended, and all it wrote. */
export interface CliOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The command running in a child process. */
export interface RunningCli {
  readonly pid: number;
  /** Resolves once stderr matches `pattern`. */
  stderrShows(pattern: RegExp): Promise<void>;
  readonly exited: Promise<CliOutcome>;
}

/** How the command's process is started. */
export interface CliOptions {
  /** The process's limit of open files, set with the shell's `ulimit -n` before Node starts. */
  readonly openFiles?: number;
  /** Options for Node itself, such as `--max-old-space-size=128`. */
  readonly nodeOptions?: readonly string[];
}

/** Starts `current-attributes-probe <args>` from the sources, as its own Node process. */
export function startCli(args: readonly string[], { openFiles, nodeOptions = [] }: CliOptions = {}): RunningCli {
  const node = [process.execPath, ...nodeOptions, '--import', 'tsx', 'packages/probe/src/cli.ts', ...args];
  const [command, ...rest] =
    openFiles === undefined ? node : ['bash', '-c', `ulimit -n ${openFiles} && exec "$@"`, 'bash', ...node];
  const child = spawn(command as string, rest, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stdout = '';
  const stderr = watchText();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => stderr.append(String(chunk)));
  const exited = new Promise<CliOutcome>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr: stderr.text })),
  );
  return {
    pid: child.pid as number,
    exited,
    stderrShows: (pattern) => stderr.shows(pattern, exited, 'exited'),
  };
}

/** Runs `current-attributes-probe <args>` to the end. */
export function runCli(args: readonly string[], options?: CliOptions): Promise<CliOutcome> {
  return startCli(args, options).exited;
}

/**
 * Runs the command in this process, as the bin does but without a process
 * of its own: for the many runs whose outcome does not depend on the
 * process (its limits, its signals, its exit on a throw).
 */
export async function runCommand(args: readonly string[]): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const code = await probeCommand(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    interactive: false,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}
