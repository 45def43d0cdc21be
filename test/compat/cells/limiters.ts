import { queue as asyncQueue, type QueueObject } from 'async';
import Bottleneck from 'bottleneck';
import { bind, bindCallbacks, snapshot } from 'current-attributes';
import { createPool, type Pool } from 'generic-pool';
import pLimit, { type LimitFunction } from 'p-limit';
import PQueue from 'p-queue';
import { viaCallback } from '../harness/callback.js';
import { libraryRows } from '../harness/cell.js';
import { ProbeBoard } from '../harness/probes.js';
import type { Probe } from '../harness/reads.js';
import { nextTurn } from '../harness/turns.js';

/** The work a request hands a limiter: reads Current, lets the others queue up, reads again. */
async function task(probe: Probe): Promise<void> {
  probe.read();
  await nextTurn();
  probe.read();
}

const genericPool = libraryRows('generic-pool', 'generic-pool', [
  {
    key: 'acquire',
    mode: 'acquire awaited and release, one resource',
    asIs: {
      start: () => createPool({ create: async () => ({}), destroy: async () => undefined }, { max: 1 }),
      stop: async (pool: Pool<object>) => {
        await pool.drain();
        await pool.clear();
      },
      async request(pool: Pool<object>, probe: Probe) {
        const resource = await pool.acquire();
        try {
          await task(probe);
        } finally {
          await pool.release(resource);
        }
        probe.read();
      },
    },
  },
]);

const limit = libraryRows('p-limit', 'p-limit', [
  {
    key: 'limit',
    mode: 'pLimit(1) made at start-up',
    asIs: {
      start: () => pLimit(1),
      stop: () => undefined,
      async request(limit: LimitFunction, probe: Probe) {
        await limit(() => task(probe));
        probe.read();
      },
    },
  },
]);

function pQueueAdd(bound: boolean) {
  return {
    start: () => (bound ? bindCallbacks(new PQueue({ concurrency: 1 }), ['add']) : new PQueue({ concurrency: 1 })),
    stop: (queue: PQueue) => queue.clear(),
    async request(queue: PQueue, probe: Probe) {
      await queue.add(() => task(probe));
      probe.read();
    },
  };
}

const queue = libraryRows('p-queue', 'p-queue', [
  {
    key: 'add',
    mode: 'new PQueue({ concurrency: 1 }) made at start-up, add awaited',
    asIs: pQueueAdd(false),
    fixed: { fix: "bindCallbacks(new PQueue({ concurrency: 1 }), ['add'])", cell: pQueueAdd(true) },
  },
]);

const limiter = (bound: boolean, methods: ['schedule'] | ['submit']) => () =>
  bound ? bindCallbacks(new Bottleneck({ maxConcurrent: 1 }), methods) : new Bottleneck({ maxConcurrent: 1 });

function bottleneckSchedule(bound: boolean) {
  return {
    start: limiter(bound, ['schedule']),
    stop: (limiter: Bottleneck) => limiter.stop({ dropWaitingJobs: true }),
    async request(limiter: Bottleneck, probe: Probe) {
      await limiter.schedule(() => task(probe));
      probe.read();
    },
  };
}

function bottleneckSubmit(bound: boolean) {
  return {
    start: limiter(bound, ['submit']),
    stop: (limiter: Bottleneck) => limiter.stop({ dropWaitingJobs: true }),
    async request(limiter: Bottleneck, probe: Probe) {
      const job = (callback: (error: null, id: number) => void) => {
        probe.read();
        setImmediate(() => callback(null, probe.id));
      };
      await viaCallback<number>(
        (callback) => limiter.submit(job, callback),
        () => probe.read(),
      );
    },
  };
}

const bottleneck = libraryRows('bottleneck', 'bottleneck', [
  {
    key: 'schedule',
    mode: 'new Bottleneck({ maxConcurrent: 1 }), schedule awaited',
    asIs: bottleneckSchedule(false),
    fixed: { fix: "bindCallbacks(new Bottleneck({ maxConcurrent: 1 }), ['schedule'])", cell: bottleneckSchedule(true) },
  },
  {
    key: 'submit',
    mode: 'submit(job, callback)',
    asIs: bottleneckSubmit(false),
    fixed: { fix: "bindCallbacks(new Bottleneck({ maxConcurrent: 1 }), ['submit'])", cell: bottleneckSubmit(true) },
  },
]);

interface QueueShared {
  readonly queue: QueueObject<{ id: number; inScope?: (fn: () => void) => void }>;
  readonly board: ProbeBoard;
}

/** An async.queue made at start-up with concurrency 1; its worker reads Current for the task's request. */
function asyncQueueCell(bound: boolean) {
  return {
    start(): QueueShared {
      const board = new ProbeBoard();
      const queue = asyncQueue<{ id: number; inScope?: (fn: () => void) => void }>((item, done) => {
        const read = () => board.readFor(item.id);
        if (item.inScope === undefined) read();
        else item.inScope(read);
        setImmediate(done);
      }, 1);
      return { queue, board };
    },
    stop: ({ queue }: QueueShared) => queue.kill(),
    async request({ queue, board }: QueueShared, probe: Probe) {
      board.enter(probe);
      const item = bound ? { id: probe.id, inScope: snapshot() } : { id: probe.id };
      await viaCallback<unknown>(
        (callback) => queue.push(item, bound ? bind(callback) : callback),
        () => probe.read(),
      );
    },
  };
}

const asyncLibrary = libraryRows('async', 'async', [
  {
    key: 'queue',
    mode: 'async.queue(worker, 1) made at start-up, push(task, callback)',
    asIs: asyncQueueCell(false),
    fixed: {
      fix: 'queue.push({ ...task, inScope: snapshot() }, bind(callback)); the worker runs its work in task.inScope',
      cell: asyncQueueCell(true),
    },
  },
]);

export const rows = [...genericPool, ...limit, ...queue, ...bottleneck, ...asyncLibrary];
