import { InvalidArgumentError } from '../core/errors.js';
import { expectOptions, optionNames } from '../core/options.js';
import { describeValue, expectFunction } from '../core/validate.js';
import { ACQUIRE_OPTIONS, type AcquireOptions, checkAcquireOptions } from './acquire-options.js';
import type { LockBackend, RemoteLock } from './backend.js';
import { LockAbortedError, LockLostError, LockQueueFullError, LockTimeoutError, ReentrantLockError } from './errors.js';
import { isHeldHere, runHolding } from './held.js';
import { holdInBackend } from './hold-in-backend.js';
import { KeyState, type Lease, LocalLease } from './lease.js';
import { LockCounters, type LockStats } from './stats.js';

/** Whether this runs in Cloudflare's workerd, which names itself in `navigator.userAgent`. */
const IN_WORKERD =
  (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent === 'Cloudflare-Workers';
/** The longest delay a timer takes everywhere (a signed 32-bit count of ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Options of `KeyedMutex` and `Mutex`. */
export interface KeyedMutexOptions extends Omit<AcquireOptions, 'signal'> {
  /** Also hold each key in a remote store (see `current-attributes/lock/redis`), for locks across processes. */
  readonly backend?: LockBackend;
}

/** The names `new KeyedMutex()` and `new Mutex()` take. */
export const KEYED_MUTEX_OPTIONS = optionNames<KeyedMutexOptions>({ timeoutMs: true, maxQueue: true, backend: true });

/**
 * Mutual exclusion per key, in process, with an optional remote backend for
 * several processes: FIFO per key, bounded waiting (`timeoutMs`, `maxQueue`),
 * waiters that leave when their signal aborts, idle keys deleted, counters.
 *
 * The lock is handed to the next waiter by resolving the promise that waiter
 * awaits, never by calling its continuation from the releaser, so each waiter
 * resumes in its own async context: its own request's `Current`.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or is not one it takes.
 * @example
 * ```ts
 * const locks = new KeyedMutex({ timeoutMs: 5000 });
 * await locks.withLock(`account:${id}`, async () => {
 *   const balance = await accounts.balance(id);
 *   await accounts.setBalance(id, balance - amount);
 * });
 * ```
 */
export class KeyedMutex {
  readonly #keys = new Map<string, KeyState>();
  readonly #counters = new LockCounters();
  readonly #defaults: Omit<AcquireOptions, 'signal'>;
  readonly #backend: LockBackend | undefined;

  constructor(options: KeyedMutexOptions = {}) {
    expectOptions(options, KEYED_MUTEX_OPTIONS, 'new KeyedMutex()');
    const { backend, ...defaults } = options;
    this.#defaults = checkAcquireOptions(defaults);
    if (backend !== undefined) expectFunction('options.backend.acquire', backend?.acquire);
    this.#backend = backend;
  }

  /**
   * Waits for `key` and returns its lease.
   *
   * @throws {LockTimeoutError | LockQueueFullError | LockAbortedError | LockUnavailableError | ReentrantLockError}
   */
  async acquire(key: string, options: AcquireOptions = {}): Promise<Lease> {
    expectOptions(options, ACQUIRE_OPTIONS, 'acquire()');
    const { signal, ...bounds } = checkAcquireOptions({ ...this.#defaults, ...options });
    const { timeoutMs = Number.POSITIVE_INFINITY, maxQueue = Number.POSITIVE_INFINITY } = bounds;
    if (signal?.aborted) {
      this.#counters.abandoned += 1;
      throw new LockAbortedError(key, signal.reason);
    }
    const state = this.#stateFor(key);
    const startedAt = performance.now();
    if (!state.busy) state.busy = true;
    else if (state.queued >= maxQueue) {
      this.#counters.rejected += 1;
      throw new LockQueueFullError(key, maxQueue);
    } else await this.#wait(key, state, timeoutMs, signal);

    // With a budget, #grant resolves with a lease or throws.
    return this.#grant(key, state, startedAt, { timeoutMs, signal }) as Promise<Lease>;
  }

  /**
   * Takes `key` only if it is free right now; never waits for a holder. With
   * a backend, makes one attempt in the remote store, bounded by the
   * backend (Redis: `commandTimeoutMs`, default 1000 ms).
   *
   * @returns the lease, or `undefined` when the key is held.
   * @throws {LockUnavailableError | ReentrantLockError}
   * @example
   * ```ts
   * const lease = await locks.tryAcquire('nightly-report');
   * if (lease === undefined) return; // another process is on it
   * try { await buildReport(); } finally { await lease.release(); }
   * ```
   */
  async tryAcquire(key: string): Promise<Lease | undefined> {
    const state = this.#stateFor(key);
    if (state.busy) return undefined;
    state.busy = true;
    return this.#grant(key, state, performance.now(), undefined);
  }

  /**
   * Takes `key` at once when it is free and no backend is involved, with no
   * promise, timer or signal; `undefined` otherwise, and the caller waits
   * through `acquire`. The lock middleware's path for every request that
   * finds its key free.
   *
   * @internal
   * @throws {ReentrantLockError} when the caller holds `key` already.
   */
  takeIfFree(key: string): LocalLease | undefined {
    if (this.#backend !== undefined) return undefined;
    const state = this.#stateFor(key);
    if (state.busy) return undefined;
    state.busy = true;
    return this.#hold(key, state, undefined, 0);
  }

  /**
   * Runs `fn` holding `key` and releases afterwards, also when `fn` throws.
   * Inside a scope, `fn` is marked as the holder: acquiring `key` again from
   * within it throws `ReentrantLockError` instead of deadlocking.
   *
   * @example
   * ```ts
   * const total = await locks.withLock('cart:7', (signal) => checkout(cart, { signal }));
   * ```
   */
  async withLock<R>(key: string, fn: (signal: AbortSignal) => R | Promise<R>, options?: AcquireOptions): Promise<R> {
    expectFunction('fn', fn);
    if (options !== undefined) expectOptions(options, ACQUIRE_OPTIONS, 'withLock()');
    const lease = (await this.acquire(key, options)) as LocalLease;
    let result: R;
    try {
      result = await runHolding(lease, () => fn(lease.signal));
    } catch (error) {
      // fn's error is the one to throw; a failed remote release must still be seen.
      lease.release().catch((releaseError: Error) => process.emitWarning(releaseError));
      throw error;
    }
    await lease.release();
    return result;
  }

  /** Whether `key` is held right now. */
  isLocked(key: string): boolean {
    return this.#keys.get(key)?.busy ?? false;
  }

  /** A snapshot of the counters. */
  get stats(): LockStats {
    let active = 0;
    let queued = 0;
    for (const state of this.#keys.values()) {
      if (state.busy) active += 1;
      queued += state.queued;
    }
    return { ...this.#counters, active, queued, keys: this.#keys.size };
  }

  #wait(key: string, state: KeyState, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cleanUp = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const grant = () => {
        cleanUp();
        resolve();
      };
      const leave = (error: Error) => {
        state.leave(grant);
        cleanUp();
        reject(error);
      };
      const onAbort = () => {
        this.#counters.abandoned += 1;
        leave(new LockAbortedError(key, signal?.reason));
      };
      state.enqueue(grant);
      if (timeoutMs !== Number.POSITIVE_INFINITY) {
        timer = setTimeout(() => {
          this.#counters.timedOut += 1;
          leave(new LockTimeoutError(key, timeoutMs));
        }, timeoutMs);
      } else if (IN_WORKERD) {
        // workerd cancels a request that waits with nothing pending in its own context ("your Worker's
        // code had hung"), and another request's release is not its own: a timer of its own keeps it waiting.
        timer = setTimeout(() => {}, MAX_TIMER_MS);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The state of `key`, created if idle; refuses a caller that holds the key already. */
  #stateFor(key: string): KeyState {
    if (typeof key !== 'string') {
      throw new InvalidArgumentError(`Expected \`key\` to be a string, got ${describeValue(key)}.`);
    }
    let state = this.#keys.get(key);
    if (state?.holder !== undefined && isHeldHere(state.holder)) throw new ReentrantLockError(key);
    if (state === undefined) {
      state = new KeyState();
      this.#keys.set(key, state);
    }
    return state;
  }

  /**
   * After the local turn: holds the key in the backend too (when there is
   * one) within what is left of the budget, and returns the lease. Without a
   * budget (`tryAcquire`), one attempt: `undefined` when the key is held
   * elsewhere. On any failure the local turn passes to the next waiter.
   */
  async #grant(
    key: string,
    state: KeyState,
    startedAt: number,
    budget: { timeoutMs: number; signal: AbortSignal | undefined } | undefined,
  ): Promise<LocalLease | undefined> {
    let lease: LocalLease | undefined;
    let remote: RemoteLock | undefined;
    if (this.#backend !== undefined) {
      try {
        remote = await holdInBackend(this.#backend, key, {
          timeoutMs: budget?.timeoutMs ?? 0,
          remainingMs: budget === undefined ? undefined : budget.timeoutMs - (performance.now() - startedAt),
          signal: budget?.signal,
          onLost: (cause) => lease?.abort(new LockLostError(key, cause)),
        });
      } catch (error) {
        this.#handOver(key, state);
        if (error instanceof LockTimeoutError) this.#counters.timedOut += 1;
        else if (error instanceof LockAbortedError) this.#counters.abandoned += 1;
        else this.#counters.failed += 1;
        throw error;
      }
      if (remote === undefined) {
        this.#handOver(key, state);
        if (budget === undefined) return undefined;
        this.#counters.timedOut += 1;
        throw new LockTimeoutError(key, budget.timeoutMs, true);
      }
    }
    lease = this.#hold(key, state, remote, performance.now() - startedAt);
    return lease;
  }

  /** Makes the lease of the turn `state` just gave, and counts how long its holder waited. */
  #hold(key: string, state: KeyState, remote: RemoteLock | undefined, waitedMs: number): LocalLease {
    this.#counters.recordWait(waitedMs);
    const lease = new LocalLease(key, state, remote, this.#handOver);
    state.holder = lease;
    return lease;
  }

  /** Grants the key to the first waiter, or marks it idle and deletes it. */
  readonly #handOver = (key: string, state: KeyState): void => {
    state.holder = undefined;
    const next = state.next();
    if (next !== undefined) {
      next();
      return;
    }
    state.busy = false;
    this.#keys.delete(key);
  };
}
