import { join } from 'node:path';
import { runtimeBinary } from '../../../bench/runtimes.js';
import type { ProbeResult } from '../probes/run-probes.js';
import { bundleForWorkerd } from '../workerd/bundle.js';
import { serveWithWorkerd } from '../workerd/serve.js';
import { commandFor, ROOT, type Runtime, start } from './launch.js';

/**
 * The context-loss suite on `runtime`: test/runtimes/probes/main.ts in a
 * child process, or, on workerd, the bundled worker answering one request.
 * `echoUrl` is the runner's HTTP echo server for the I/O probes.
 */
export async function probesOn(runtime: Runtime, echoUrl: string, timeoutMs: number): Promise<ProbeResult[]> {
  if (runtime === 'workerd') {
    const source = await bundleForWorkerd(join(ROOT, 'test/runtimes/probes/worker.ts'));
    const worker = await serveWithWorkerd(await runtimeBinary('workerd'), source);
    try {
      const response = await fetch(`${worker.url}/?echo=${encodeURIComponent(echoUrl)}`, {
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok)
        throw new Error(`workerd answered ${response.status}: ${await response.text()}\n${worker.output()}`);
      return (await response.json()) as ProbeResult[];
    } finally {
      await worker.stop();
    }
  }
  const command = await commandFor(runtime, 'test/runtimes/probes/main.ts', [echoUrl]);
  const { child, line } = await start(command, /^\[/, timeoutMs);
  await child.stop();
  return JSON.parse(line) as ProbeResult[];
}
