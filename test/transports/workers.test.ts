import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { InvalidPayloadError } from 'current-attributes';
import { PropagationLimitError } from 'current-attributes/propagation';
import { CONTEXT_ENV, envWithContext, runWithEnvContext, withContext } from 'current-attributes/transports';
import { describe, expect, test } from 'vitest';
import { Traveling } from '../propagation/support.js';

const run = promisify(execFile);

function startWorker(workerData: unknown): Worker {
  const script = new URL('./support/context-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

describe('worker threads', () => {
  test('workerData and each message carry their own scope’s values into the worker, hidden ones too (the app’s own)', async () => {
    const workerData = Traveling.run(() => {
      Traveling.tenant = 'boot';
      return withContext({});
    });
    const worker = startWorker(workerData);
    const messages: Array<{ kind: string; id?: number; seen: Record<string, unknown> }> = [];
    const done = new Promise<void>((resolve, reject) => {
      worker.on('message', (message) => {
        messages.push(message);
        if (messages.length === 51) resolve();
      });
      worker.once('error', reject);
    });
    await Promise.all(
      Array.from({ length: 50 }, (_, id) =>
        Traveling.run(async () => {
          Traveling.tenant = `tenant-${id}`;
          Traveling.apiToken = `token-${id}`;
          await new Promise((resolve) => setImmediate(resolve));
          worker.postMessage(withContext({ id }));
        }),
      ),
    );
    await done;
    await worker.terminate();
    expect(messages.find((message) => message.kind === 'started')?.seen).toEqual({ tenant: 'boot', locale: 'en' });
    const tasks = messages.filter((message) => message.kind === 'task');
    expect(tasks).toHaveLength(50);
    for (const { id, seen } of tasks) {
      expect(seen).toEqual({ tenant: `tenant-${id}`, apiToken: `token-${id}`, locale: 'en' });
    }
  });
});

describe('child processes', () => {
  test('an environment variable carries the parent scope’s values into the child', async () => {
    const env = Traveling.run(() => {
      Traveling.tenant = 'acme';
      Traveling.userId = 7;
      return envWithContext();
    });
    const child = new URL('./support/context-child.ts', import.meta.url).pathname;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', child], { env });
    expect(JSON.parse(stdout)).toEqual({ tenant: 'acme', userId: 7, locale: 'en', apiToken: null });
  });

  test('without the variable the child runs in an empty scope; outside a scope nothing is added, and an inherited one is dropped', async () => {
    expect(envWithContext({ PATH: 'x', [CONTEXT_ENV]: 'stale' })).toEqual({ PATH: 'x' });
    expect(runWithEnvContext(() => Traveling.attributes, {})).toEqual({ locale: 'en' });
    expect(() => runWithEnvContext(() => undefined, { [CONTEXT_ENV]: 'not a context' })).toThrow(InvalidPayloadError);
  });

  test('refuses a context larger than one environment variable may hold, instead of a failing spawn', () => {
    expect(() =>
      Traveling.run(() => {
        Traveling.tenant = 'x'.repeat(200_000);
        return envWithContext({});
      }),
    ).toThrow(PropagationLimitError);
  });
});

describe('the deadline, when asked', () => {
  test('a job made with { deadline: true } gets a signal that aborts when the request’s deadline passes', async () => {
    const { withCurrent } = await import('current-attributes/http');
    const { DeadlineExceededError, requestSignal } = await import('current-attributes');
    const { runWithContext } = await import('current-attributes/transports');
    const { listen } = await import('../support/listen.js');
    const server = await listen(
      withCurrent(
        (_req, res) => {
          Traveling.tenant = 'acme';
          res.end(JSON.stringify({ withDeadline: withContext({}, { deadline: true }), without: withContext({}) }));
        },
        { deadlineMs: 40 },
      ),
    );
    try {
      const { withDeadline, without } = (await (await fetch(server.url)).json()) as Record<string, object>;
      const reason = await runWithContext(withDeadline, async () => {
        const signal = requestSignal() as AbortSignal;
        if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve));
        return [Traveling.tenant, signal.reason];
      });
      expect(reason[0]).toBe('acme');
      expect(reason[1]).toBeInstanceOf(DeadlineExceededError);
      expect(runWithContext(without, () => [Traveling.tenant, requestSignal()])).toEqual(['acme', undefined]);
    } finally {
      await server.close();
    }
  });
});
