import { Worker } from 'node:worker_threads';
import { serializeContext } from 'current-attributes';
import { Piscina } from 'piscina';
import { libraryRows } from '../harness/cell.js';
import type { Probe } from '../harness/reads.js';

interface WorkerShared {
  readonly worker: Worker;
  readonly replies: Map<number, (seen: number | undefined) => void>;
}

// A thread takes a second to load TypeScript on a busy machine: one worker and one pool serve every case of the
// process, as one made at start-up serves every request; the process's exit ends them.
let sharedWorker: WorkerShared | undefined;
let sharedPool: Piscina | undefined;

/** One worker thread made at start-up; each request posts it a message and waits for the reply. */
function workerCell(carryContext: boolean) {
  return {
    start(): WorkerShared {
      if (sharedWorker !== undefined) return sharedWorker;
      const worker = new Worker(new URL('./workers/reader.mjs', import.meta.url));
      const replies = new Map<number, (seen: number | undefined) => void>();
      worker.on('message', ({ id, seen }: { id: number; seen: number | undefined }) => replies.get(id)?.(seen));
      worker.unref();
      sharedWorker = { worker, replies };
      return sharedWorker;
    },
    stop: ({ replies }: WorkerShared) => replies.clear(),
    async request({ worker, replies }: WorkerShared, probe: Probe) {
      const seen = await new Promise<number | undefined>((resolve) => {
        replies.set(probe.id, resolve);
        worker.postMessage({ id: probe.id, ...(carryContext ? { context: serializeContext() } : {}) });
      });
      probe.observed(seen);
      probe.read();
    },
  };
}

function piscinaCell(carryContext: boolean) {
  return {
    start: () => {
      sharedPool ??= new Piscina({
        filename: new URL('./workers/task.mjs', import.meta.url).href,
        maxThreads: 1,
        minThreads: 1,
      });
      return sharedPool;
    },
    stop: () => undefined,
    async request(pool: Piscina, probe: Probe) {
      const seen = (await pool.run(carryContext ? { context: serializeContext() } : {})) as number | undefined;
      probe.observed(seen);
      probe.read();
    },
  };
}

export const rows = [
  ...libraryRows('worker_threads', undefined, [
    {
      key: 'post-message',
      mode: 'a worker made at start-up, postMessage and a reply',
      asIs: workerCell(false),
      fixed: {
        fix: 'postMessage({ ...data, context: serializeContext() }); in the worker, restoreContext(context, work)',
        cell: workerCell(true),
      },
    },
  ]),
  ...libraryRows('piscina', 'piscina', [
    {
      key: 'run',
      mode: 'pool.run(task) awaited, one thread',
      asIs: piscinaCell(false),
      fixed: {
        fix: 'pool.run({ ...task, context: serializeContext() }); in the task, restoreContext(context, work)',
        cell: piscinaCell(true),
      },
    },
  ]),
];
