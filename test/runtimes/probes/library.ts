import { EventEmitter } from 'node:events';
import { bind, bindEmitter, restoreContext, serializeContext, snapshot } from 'current-attributes';
import { withLock } from 'current-attributes/lock';
import { Current, callbackRead, type ProbeCase, readId } from './case.js';

/** A tick of the event loop that every runtime has. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** Shared by every scope, as a module-level emitter or queue is in an app. */
const sharedEmitter = bindEmitter(new EventEmitter());
const sharedQueue: Array<() => void> = [];

/** Drains the shared queue from outside any scope, as a pool's socket callback does. */
function drainLater(): void {
  setTimeout(() => {
    for (const callback of sharedQueue.splice(0)) callback();
  }, 1);
}

/** The library's own API: what it promises on every runtime, measured there. */
export const libraryProbes: readonly ProbeCase[] = [
  {
    id: 'library.set',
    title: '`Current.set()` around an async function, restored after it',
    group: 'library',
    read: async ({ id }) => {
      Current.requestId = `${id}-outer`;
      let inside: string | undefined;
      await Current.set({ requestId: id }, async () => {
        await tick();
        inside = readId();
      });
      return readId() === `${id}-outer` ? inside : `not restored: ${readId()}`;
    },
  },
  {
    id: 'library.run-nested',
    title: 'a nested `Current.run()`: a fresh scope, the outer values after it',
    group: 'library',
    read: async () => {
      const inner = await Current.run(async () => {
        await tick();
        return readId();
      });
      return inner === undefined ? readId() : `inner saw ${inner}`;
    },
  },
  {
    id: 'library.bind',
    title: '`bind(fn)` called by a shared queue, with `this` passed through',
    group: 'library',
    read: () => {
      const { promise, read } = callbackRead();
      const receiver = { read };
      const bound = bind(function (this: typeof receiver) {
        this.read();
      });
      sharedQueue.push(() => bound.call(receiver));
      drainLater();
      return promise;
    },
  },
  {
    id: 'library.snapshot',
    title: 'a `snapshot()` run by a shared queue',
    group: 'library',
    read: () => {
      const { promise, read } = callbackRead();
      const inScope = snapshot();
      sharedQueue.push(() => inScope(read));
      drainLater();
      return promise;
    },
  },
  {
    id: 'library.bindEmitter',
    title: 'a listener of a shared `bindEmitter()` emitter, emitted from outside',
    group: 'library',
    read: ({ id }) => {
      const { promise, read } = callbackRead();
      sharedEmitter.once(id, read);
      setTimeout(() => sharedEmitter.emit(id), 1);
      return promise;
    },
  },
  {
    id: 'library.serialize-restore',
    title: '`serializeContext()` through JSON, then `restoreContext()` elsewhere',
    group: 'library',
    read: () => {
      const payload = JSON.stringify(serializeContext([Current]));
      const { promise, read } = callbackRead();
      sharedQueue.push(() => restoreContext(JSON.parse(payload), read));
      drainLater();
      return promise;
    },
  },
  {
    id: 'library.lock',
    title: 'a waiter of an in-process lock resumes in its own scope',
    group: 'library',
    read: () =>
      withLock('runtime-probe', async () => {
        await tick();
        return readId();
      }),
  },
];
