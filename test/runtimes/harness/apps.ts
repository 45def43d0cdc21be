import { join } from 'node:path';
import { runtimeBinary } from '../../../bench/runtimes.js';
import { driveApp, type ServeReads } from '../apps/drive.js';
import { bundleForWorkerd } from '../workerd/bundle.js';
import { serveWithWorkerd } from '../workerd/serve.js';
import { commandFor, ROOT, type Runtime, start } from './launch.js';

/** The apps of test/runtimes/apps, by the name serve.ts takes. */
export const APPS = ['hono', 'hono-node-server', 'http', 'express', 'koa', 'fastify'] as const;
export type AppName = (typeof APPS)[number];

/** The apps each runtime is measured with: workerd serves only the Hono app, as a Worker. */
export const appsOn = (runtime: Runtime): readonly AppName[] =>
  runtime === 'workerd' ? ['hono'] : runtime === 'node' ? APPS.filter((app) => app !== 'hono-node-server') : APPS;

/** What one app did on one runtime: its reads, or why it did not serve. */
export type AppResult =
  | { readonly app: AppName; readonly reads: ServeReads }
  | { readonly app: AppName; readonly error: string };

/**
 * Serves `app` on `runtime` and sends it `amount` concurrent requests on each
 * route (see driveApp). A server that does not start or answer in time is an
 * error, not a hang.
 */
export async function appOn(runtime: Runtime, app: AppName, amount: number, timeoutMs: number): Promise<AppResult> {
  try {
    if (runtime === 'workerd') {
      const source = await bundleForWorkerd(join(ROOT, 'test/runtimes/apps/hono.ts'));
      const worker = await serveWithWorkerd(await runtimeBinary('workerd'), source);
      try {
        return { app, reads: await withTimeout(driveApp(worker.url, amount), timeoutMs) };
      } finally {
        await worker.stop();
      }
    }
    const command = await commandFor(runtime, 'test/runtimes/apps/serve.ts', [app]);
    const { child, line } = await start(command, /^listening \d+/, timeoutMs);
    try {
      const port = line.split(' ')[1];
      return { app, reads: await withTimeout(driveApp(`http://127.0.0.1:${port}`, amount), timeoutMs) };
    } finally {
      await child.stop();
    }
  } catch (error) {
    return { app, error: (error instanceof Error ? error.message : String(error)).slice(0, 600) };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to every request within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
