import { callbackRead, type ProbeCase, readId } from './case.js';

/** Timers and task queues: deno#24368 lost the store in `queueMicrotask`, `nextTick` and `setTimeout`. */
export const timerProbes: readonly ProbeCase[] = [
  {
    id: 'timers.setTimeout',
    title: 'a `setTimeout` callback',
    group: 'timers',
    read: () => new Promise((resolve) => setTimeout(() => resolve(readId()), 1)),
  },
  {
    id: 'timers.setInterval',
    title: 'a `setInterval` callback',
    group: 'timers',
    read: () =>
      new Promise((resolve) => {
        const timer = setInterval(() => {
          clearInterval(timer);
          resolve(readId());
        }, 1);
      }),
  },
  {
    id: 'timers.setImmediate',
    title: 'a `setImmediate` callback',
    group: 'timers',
    unavailable: () => (typeof setImmediate === 'function' ? undefined : 'no setImmediate'),
    read: () => new Promise((resolve) => setImmediate(() => resolve(readId()))),
  },
  {
    id: 'timers.queueMicrotask',
    title: 'a `queueMicrotask` callback',
    group: 'timers',
    read: () => new Promise((resolve) => queueMicrotask(() => resolve(readId()))),
  },
  {
    id: 'timers.nextTick',
    title: 'a `process.nextTick` callback',
    group: 'timers',
    unavailable: () => (typeof process?.nextTick === 'function' ? undefined : 'no process.nextTick'),
    read: () => new Promise((resolve) => process.nextTick(() => resolve(readId()))),
  },
  {
    id: 'timers.promises',
    title: '`await setTimeout()` from `node:timers/promises`',
    group: 'timers',
    read: async () => {
      const { setTimeout: sleep } = await import('node:timers/promises');
      await sleep(1);
      return readId();
    },
  },
  {
    id: 'timers.abort-signal-timeout',
    title: 'an `abort` listener of `AbortSignal.timeout()`',
    group: 'timers',
    unavailable: () => (typeof AbortSignal.timeout === 'function' ? undefined : 'no AbortSignal.timeout'),
    read: () => {
      // oven-sh/bun#32805: listeners of AbortSignal.timeout ran with no store.
      const { promise, read } = callbackRead();
      AbortSignal.timeout(1).addEventListener('abort', read, { once: true });
      return promise;
    },
  },
];
