import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The compatibility date the worker runs with, no later than the workerd
 * release's own date. `nodejs_compat` is the default from 2026-08-04 on;
 * it is named anyway, as a user's wrangler.toml names it.
 */
export const COMPATIBILITY_DATE = '2026-11-01';

export interface RunningWorker {
  readonly url: string;
  /** What workerd printed, for a failure's message. */
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * Serves the ES module `source` with workerd on a free port of 127.0.0.1, in
 * one isolate, with `nodejs_compat` and outbound connections allowed to
 * loopback (the probes' echo server). Resolves once workerd listens.
 */
export async function serveWithWorkerd(workerd: string, source: string, timeoutMs = 60_000): Promise<RunningWorker> {
  const dir = mkdtempSync(join(tmpdir(), 'current-attributes-workerd-'));
  writeFileSync(join(dir, 'worker.js'), source);
  writeFileSync(join(dir, 'config.capnp'), config());
  // workerd writes each socket's port to the control fd (3) once it listens.
  const child = spawn(workerd, ['serve', join(dir, 'config.capnp'), '--control-fd=3'], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = () => stopChild(child).finally(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const port = await portOf(child, timeoutMs, () => output);
    return { url: `http://127.0.0.1:${port}`, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function config(): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  compatibilityFlags = ["nodejs_compat"],
  globalOutbound = "loopback",
);
`;
}

function portOf(child: ChildProcess, timeoutMs: number, output: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const control = child.stdio[3] as NodeJS.ReadableStream;
    const lines = createInterface({ input: control });
    const timer = setTimeout(() => fail(new Error(`workerd did not listen within ${timeoutMs} ms.`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      lines.close();
      reject(new Error(`${error.message}\n${output()}`));
    };
    child.once('exit', (code, signal) => fail(new Error(`workerd exited with ${signal ?? code} before it listened.`)));
    lines.on('line', (line) => {
      const event = JSON.parse(line) as { event?: string; port?: number };
      if (event.event !== 'listen' || event.port === undefined) return;
      clearTimeout(timer);
      resolve(event.port);
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
