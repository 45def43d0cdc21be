import { type ChildProcess, fork } from 'node:child_process';

/** A TypeScript module running in its own Node process (see `startProcess`). */
export interface StartedProcess {
  /** Asks the process to close what it opened and exit, and waits until it has. */
  stop(): Promise<void>;
}

/**
 * Forks `script` under tsx with `env` added, and resolves once it reported
 * `'ready'` (see `reportReady`). Rejects if it exits first.
 */
export async function startProcess(script: URL, env: Readonly<Record<string, string>>): Promise<StartedProcess> {
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('message', (message) => (message === 'ready' ? resolve() : reject(new Error(String(message)))));
    child.once('exit', (code) => reject(new Error(`${script.pathname} exited with ${code} before it was ready`)));
  });
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.send('stop');
      await exited;
    },
  };
}

/**
 * The child's side of `startProcess`: tells the parent it is ready, and when
 * asked to stop, or when the parent is gone, runs `close` and exits.
 */
export function reportReady(close: () => Promise<void>): void {
  const stop = () =>
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  process.on('message', (message) => {
    if (message === 'stop') stop();
  });
  // A parent that died without asking must not leave a worker running.
  process.once('disconnect', stop);
  process.send?.('ready');
}
