import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

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

/** Starts `current-attributes <args>` from the sources, as its own Node process. */
export function startCli(args: readonly string[]): RunningCli {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiting = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
    for (const check of waiting) check();
  });
  const exited = new Promise<CliOutcome>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return {
    pid: child.pid as number,
    exited,
    stderrShows: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pattern.test(stderr)) return;
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        exited.then(() =>
          pattern.test(stderr) ? undefined : reject(new Error(`exited before stderr matched ${pattern}:\n${stderr}`)),
        );
        check();
      }),
  };
}

/** Runs `current-attributes <args>` to the end. */
export function runCli(args: readonly string[]): Promise<CliOutcome> {
  return startCli(args).exited;
}
