import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '../core/errors.js';
import { expectOptions, optionNames } from '../core/options.js';
import { describeValue } from '../core/validate.js';
import { RaceTimeoutError } from './errors.js';
import { expectPositiveInteger, expectTimeout } from './expect.js';
import type { ChildMessage, ParentMessage } from './race-protocol.js';
import { realClearTimeout, realSetTimeout } from './real-timers.js';

/** Options of `raceProcesses`. */
export interface ProcessRaceOptions {
  /** The module each process runs; it calls `joinRace` from `current-attributes/testing`. */
  readonly script: string | URL;
  /** How many processes race. */
  readonly processes: number;
  /** How many times they race: every round releases all of them together again. Default 1. */
  readonly rounds?: number;
  /** Node flags of the processes, for example `['--import', 'tsx']` to run a TypeScript script. */
  readonly execArgv?: readonly string[];
  /** Extra environment variables of the processes (added to this process's). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for all processes to be ready, and for each round, in ms. Default 30 000. */
  readonly timeoutMs?: number;
}

const PROCESS_RACE_OPTIONS = optionNames<ProcessRaceOptions>({
  script: true,
  processes: true,
  rounds: true,
  execArgv: true,
  env: true,
  timeoutMs: true,
});

/** What one process reported for one round. */
export interface RaceOutcome<T> {
  readonly round: number;
  /** The process's index, 0 to `processes - 1` (also `process.env.RACE_INDEX` in the child). */
  readonly index: number;
  readonly pid: number;
  /** The JSON value the round's function returned, when it did not throw. */
  readonly result?: T;
  /** The message of what the round's function threw, when it threw. */
  readonly error?: string;
}

/**
 * Forks `processes` Node processes running `script`, holds each at an IPC
 * barrier until all are ready, then releases them together, `rounds` times,
 * collecting the JSON result of each process in each round. Within a round,
 * `checkpoint(name)` holds each process again until all have reached it.
 * The processes are killed at the end, also when something fails.
 *
 * @returns outcomes by round, then by process index.
 * @throws {InvalidArgumentError} when an option is malformed or `script` does not exist, before anything is forked.
 * @throws {RaceTimeoutError} when processes are not ready, or a round does not finish, in `timeoutMs`.
 * @example
 * ```ts
 * const rounds = await raceProcesses<{ won: boolean }>({
 *   script: new URL('./claim-record.ts', import.meta.url),
 *   processes: 4,
 *   rounds: 20,
 *   execArgv: ['--import', 'tsx'],
 * });
 * for (const round of rounds) expect(round.filter((o) => o.result?.won)).toHaveLength(1);
 * ```
 */
export async function raceProcesses<T>(options: ProcessRaceOptions): Promise<RaceOutcome<T>[][]> {
  expectOptions(options, PROCESS_RACE_OPTIONS, 'raceProcesses()');
  const { script, processes, rounds = 1, execArgv = [], env = {}, timeoutMs = 30_000 } = options;
  const path = scriptPath(script);
  expectPositiveInteger('processes', processes);
  expectPositiveInteger('rounds', rounds);
  expectTimeout('timeoutMs', timeoutMs);
  const origin = new Error('raceProcesses called here');
  const children = Array.from({ length: processes }, (_, index) =>
    fork(path, [], {
      execArgv: [...execArgv],
      env: { ...process.env, ...env, RACE_INDEX: String(index) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  try {
    await allReport(children, 'ready', timeoutMs, origin, () => undefined);
    const outcomes: RaceOutcome<T>[][] = [];
    for (let round = 0; round < rounds; round += 1) {
      const results: RaceOutcome<T>[] = [];
      // A checkpoint opens once every process has reached it or finished the
      // round without it (one that threw early must not hold the others forever).
      const reached = new Map<string, Set<number>>();
      const finished = new Set<number>();
      const openCheckpoints = () => {
        for (const [checkpoint, arrived] of reached) {
          if (children.every((_, index) => arrived.has(index) || finished.has(index))) {
            reached.delete(checkpoint);
            for (const index of arrived) send(children[index] as ChildProcess, { type: 'continue', checkpoint });
          }
        }
      };
      const reported = allReport(children, 'result', timeoutMs, origin, (message, index, child) => {
        if (message.type === 'result') {
          results[index] = { round, index, pid: child.pid ?? -1, ...message.outcome } as RaceOutcome<T>;
          finished.add(index);
        }
        if (message.type === 'checkpoint') {
          reached.set(message.checkpoint, (reached.get(message.checkpoint) ?? new Set()).add(index));
        }
        openCheckpoints();
      });
      for (const child of children) send(child, { type: 'go', round });
      await reported;
      outcomes.push(results);
    }
    for (const child of children) send(child, { type: 'done' });
    return outcomes;
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** The file system path of `script`, checked before forking: a missing file would only show as N early exits. */
function scriptPath(script: unknown): string {
  const isFileUrl =
    (script instanceof URL && script.protocol === 'file:') ||
    (typeof script === 'string' && script.startsWith('file:'));
  const path = isFileUrl ? fileURLToPath(script as string | URL) : typeof script === 'string' ? script : undefined;
  if (path === undefined) {
    throw new InvalidArgumentError(
      `Expected \`script\` to be a file path or a file: URL, got ${describeValue(script)}.`,
    );
  }
  if (!existsSync(path)) {
    throw new InvalidArgumentError(`Expected \`script\` to be a file that exists, got ${describeValue(path)}.`);
  }
  return path;
}

function send(child: ChildProcess, message: ParentMessage): void {
  if (child.connected) child.send(message);
}

/** Waits until every child has sent one message of `type`, or one exits early, or time runs out. */
function allReport(
  children: readonly ChildProcess[],
  type: ChildMessage['type'],
  timeoutMs: number,
  origin: Error,
  onMessage: (message: ChildMessage, index: number, child: ChildProcess) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let waiting = children.length;
    const detach: Array<() => void> = [];
    const finish = (error?: Error) => {
      realClearTimeout(timer);
      for (const undo of detach) undo();
      if (error) reject(error);
      else resolve();
    };
    const timer = realSetTimeout(
      () =>
        finish(
          new RaceTimeoutError(
            `${waiting} of ${children.length} processes did not report \`${type}\` within ${timeoutMs} ms. ` +
              'Check that the script calls joinRace() and that its round function settles.',
            { cause: origin },
          ),
        ),
      timeoutMs,
    );
    children.forEach((child, index) => {
      const onChildMessage = (message: ChildMessage) => {
        onMessage(message, index, child);
        if (message.type !== type) return;
        waiting -= 1;
        if (waiting === 0) finish();
      };
      const onExit = (code: number | null) =>
        finish(new Error(`Race process ${index} (pid ${child.pid}) exited with ${code} before reporting \`${type}\`.`));
      child.on('message', onChildMessage);
      child.once('exit', onExit);
      detach.push(() => {
        child.off('message', onChildMessage);
        child.off('exit', onExit);
      });
    });
  });
}
