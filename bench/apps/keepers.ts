import { AsyncLocalStorage } from 'node:async_hooks';
import { defineCurrent } from 'current-attributes';
import { simulatedIo } from './request.js';

/** How a handler keeps the user between setting it and answering with it, the same on every framework. */
export interface Keeper {
  write(user: string | undefined): void;
  read(): unknown;
}

/**
 * A module-level variable: what `global` and `global-lock` keep the user in.
 *
 * @example
 * ```ts
 * const keeper = moduleVariable(); // shared by every request: the leak
 * ```
 */
export function moduleVariable(): Keeper {
  let currentUser: string | undefined;
  return {
    write: (user) => {
      currentUser = user;
    },
    read: () => currentUser,
  };
}

/**
 * `Current.user`, for the `current` servers.
 *
 * @example
 * ```ts
 * const keeper = currentAttribute(); // needs the adapter's scope per request
 * ```
 */
export function currentAttribute(): Keeper {
  const Current = defineCurrent(
    class {
      user?: string;
    },
  );
  return {
    write: (user) => {
      Current.user = user;
    },
    read: () => Current.user,
  };
}

/**
 * A raw `AsyncLocalStorage` (the floor of any request context): `run` opens a request's store.
 *
 * @example
 * ```ts
 * const storage = rawStorage();
 * app.use((_req, _res, next) => storage.run(next));
 * ```
 */
export function rawStorage(): Keeper & { run<R>(fn: () => R): R } {
  const storage = new AsyncLocalStorage<{ user?: string }>();
  return {
    run: (fn) => storage.run({}, fn),
    write: (user) => {
      (storage.getStore() as { user?: string }).user = user;
    },
    read: () => storage.getStore()?.user,
  };
}

/**
 * The one handler of every benchmark server: keeps `user` with `keeper`,
 * waits for the simulated IO, and returns the user it then sees. Without a
 * keeper (`bare`) the user stays in a local variable.
 *
 * @example
 * ```ts
 * app.get('/', async (req, res) => res.send(await answer(keeper, req.get('x-user'), delayOf(req.url))));
 * ```
 */
export async function answer(keeper: Keeper | undefined, user: string | undefined, delayMs: number): Promise<string> {
  if (keeper === undefined) {
    await simulatedIo(delayMs);
    return String(user);
  }
  keeper.write(user);
  await simulatedIo(delayMs);
  return String(keeper.read());
}
