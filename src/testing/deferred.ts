/** A promise with its `resolve` and `reject` in hand, to release a waiting task at a chosen moment. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
  /** Whether `resolve` or `reject` was called. */
  readonly settled: boolean;
}

/**
 * Creates a deferred: the building block for forcing one interleaving in a
 * test instead of hoping for it (`Promise.withResolvers`, which Node 20 lacks,
 * plus `settled`).
 *
 * @example
 * ```ts
 * const lookedUp = createDeferred();
 * const repository = { find: async () => { await lookedUp.promise; return alice; } };
 * const first = handle(repository); // parked inside find()
 * await handle(otherRepository);    // runs to completion meanwhile
 * lookedUp.resolve();               // now the first one continues
 * ```
 */
export function createDeferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  let settled = false;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return {
    promise,
    resolve(value) {
      settled = true;
      resolve(value);
    },
    reject(reason) {
      settled = true;
      reject(reason);
    },
    get settled() {
      return settled;
    },
  };
}
