import { callbackRead, type ProbeCase } from './case.js';

const WORKER_SOURCE = "require('node:worker_threads').parentPort.postMessage('ready');";

/** Messages between threads: oven-sh/bun#32805 lost the store in MessagePort and Worker listeners. */
export const threadProbes: readonly ProbeCase[] = [
  {
    id: 'threads.message-channel',
    title: 'a `message` listener of a `MessageChannel` port',
    group: 'threads',
    unavailable: () => (typeof MessageChannel === 'function' ? undefined : 'no MessageChannel'),
    read: () => {
      const { promise, read } = callbackRead();
      const { port1, port2 } = new MessageChannel();
      port1.addEventListener('message', () => {
        read();
        port1.close();
      });
      port1.start();
      port2.postMessage('ping');
      return promise;
    },
  },
  {
    id: 'threads.worker',
    title: 'a `message` listener of a `worker_threads` Worker',
    group: 'threads',
    scopes: 2,
    read: async () => {
      const { Worker } = await import('node:worker_threads');
      const { promise, read, fail } = callbackRead();
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.once('message', () => {
        read();
        void worker.terminate();
      });
      worker.once('error', fail);
      return promise;
    },
  },
];
