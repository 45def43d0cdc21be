import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resolves once `child` has printed `ready` (on stdout or stderr), rejects if it exits first or takes longer than `timeoutMs`. */
export function readyWhenPrinted(child: ChildProcess, ready: string, name: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let output: string | undefined = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} was not ready after ${timeoutMs} ms:\n${output?.slice(-2000)}`));
    }, timeoutMs);
    // Keeps reading after the server is ready: a full pipe would stall its logging, and the server with it.
    const onData = (chunk: Buffer) => {
      if (output === undefined) return;
      output += chunk;
      if (output.includes(ready)) {
        output = undefined;
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready:\n${output?.slice(-2000)}`));
    });
  });
}

/** Stops `child` with `signal` and waits for it to exit. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** The uid and gid of a system user (`mysql`, `rabbitmq`), read from /etc/passwd; undefined when there is none. */
export function systemUser(name: string): { uid: number; gid: number } | undefined {
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find(([user]) => user === name);
  return entry === undefined ? undefined : { uid: Number(entry[2]), gid: Number(entry[3]) };
}
