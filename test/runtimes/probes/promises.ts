import { type ProbeCase, readId } from './case.js';

/** Promise continuations: what every async function and framework relies on. */
export const promiseProbes: readonly ProbeCase[] = [
  {
    id: 'promises.await',
    title: '`await` of a promise',
    group: 'promises',
    read: async () => {
      await null;
      await Promise.resolve();
      return readId();
    },
  },
  {
    id: 'promises.then-chain',
    title: 'a long `.then()` chain while unscoped chains run beside it',
    group: 'promises',
    read: () => {
      // Bun 1.4.0 lost the store in `.then()` continuations once enough chains had run (oven-sh/bun#33806).
      for (let churn = 0; churn < 20; churn += 1) {
        let unscoped = Promise.resolve();
        for (let step = 0; step < 50; step += 1) unscoped = unscoped.then(() => undefined);
      }
      let chain: Promise<unknown> = Promise.resolve();
      for (let step = 0; step < 200; step += 1) chain = chain.then(() => undefined);
      return chain.then(readId);
    },
  },
  {
    id: 'promises.thenable',
    title: '`await` of a thenable: its `then` runs in the caller’s scope',
    group: 'promises',
    read: async () => {
      let seen: string | undefined;
      await {
        // biome-ignore lint/suspicious/noThenProperty: a thenable is what is measured.
        then(resolve: (value?: unknown) => void) {
          seen = readId();
          resolve();
        },
      };
      return seen;
    },
  },
  {
    id: 'promises.thenable-returned-after-await',
    title: 'a thenable returned by an async function after an `await`',
    group: 'promises',
    read: async () => {
      // oven-sh/bun#34266: the thenable's `then` ran with no store.
      const produce = async () => {
        await null;
        return {
          // biome-ignore lint/suspicious/noThenProperty: a thenable is what is measured.
          then(resolve: (value: unknown) => void) {
            resolve(readId());
          },
        };
      };
      return await produce();
    },
  },
  {
    id: 'promises.async-generator',
    title: '`for await` over an async generator',
    group: 'promises',
    read: async () => {
      async function* ids() {
        await new Promise((resolve) => setTimeout(resolve, 1));
        yield readId();
      }
      for await (const id of ids()) return id;
      return undefined;
    },
  },
];
