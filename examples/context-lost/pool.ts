import { Current } from './current.js';

/**
 * A pool with one connection, written the way many drivers are: a caller
 * that finds the connection busy waits in a list, and whoever releases the
 * connection calls the next waiter back.
 */
export class CallbackPool {
  #busy = false;
  readonly #waiting: Array<(release: () => void) => void> = [];

  acquire(callback: (release: () => void) => void): void {
    if (this.#busy) return void this.#waiting.push(callback);
    this.#busy = true;
    callback(this.#release);
  }

  readonly #release = () => {
    const next = this.#waiting.shift();
    if (next === undefined) this.#busy = false;
    else next(this.#release); // runs the waiter inside the releaser's context
  };
}

/** The bug: the callback reads Current in whichever request released the connection. */
export function userOnConnection(pool: CallbackPool): Promise<string | undefined> {
  return new Promise((resolve) =>
    pool.acquire((release) => {
      resolve(Current.user);
      release();
    }),
  );
}

/** The fix: `Current.bind` runs the callback in the scope that queued it. */
export function userOnConnectionBound(pool: CallbackPool): Promise<string | undefined> {
  return new Promise((resolve) =>
    pool.acquire(
      Current.bind((release: () => void) => {
        resolve(Current.user);
        release();
      }),
    ),
  );
}
