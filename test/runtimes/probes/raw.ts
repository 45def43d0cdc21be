import { AsyncLocalStorage } from 'node:async_hooks';
import type { ProbeCase } from './case.js';

/**
 * `AsyncLocalStorage` used the way the library never uses it: what makes
 * `enterWith` unsafe to build on, measured beside the rest. Not `Current`.
 */
export const rawProbes: readonly ProbeCase[] = [
  {
    id: 'raw.enter-with-after-await',
    title: '`enterWith()` in an async function after an `await`, read by its caller (not used by the library)',
    group: 'AsyncLocalStorage itself',
    unavailable: () =>
      typeof AsyncLocalStorage.prototype.enterWith === 'function' ? undefined : 'no AsyncLocalStorage#enterWith',
    read: async ({ id }) => {
      // oven-sh/bun#21303; Node 24's AsyncContextFrame changed the answer too.
      const storage = new AsyncLocalStorage<string>();
      const enter = async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        storage.enterWith(id);
      };
      await enter();
      return storage.getStore();
    },
  },
];
