import { expectOptions } from '../core/options.js';
import type { AcquireOptions } from './acquire-options.js';
import { KEYED_MUTEX_OPTIONS, KeyedMutex, type KeyedMutexOptions } from './keyed-mutex.js';
import type { Lease } from './lease.js';
import type { LockStats } from './stats.js';

const ONLY_KEY = 'mutex';

/**
 * A single lock: a `KeyedMutex` with one key. FIFO, bounded, context-safe.
 *
 * @example
 * ```ts
 * const migrations = new Mutex({ timeoutMs: 30_000 });
 * await migrations.withLock(() => migrate());
 * ```
 */
export class Mutex {
  readonly #keyed: KeyedMutex;

  constructor(options: KeyedMutexOptions = {}) {
    expectOptions(options, KEYED_MUTEX_OPTIONS, 'new Mutex()');
    this.#keyed = new KeyedMutex(options);
  }

  /** Waits for the lock and returns its lease; see `KeyedMutex#acquire`. */
  acquire(options?: AcquireOptions): Promise<Lease> {
    return this.#keyed.acquire(ONLY_KEY, options);
  }

  /** Runs `fn` holding the lock; see `KeyedMutex#withLock`. */
  withLock<R>(fn: (signal: AbortSignal) => R | Promise<R>, options?: AcquireOptions): Promise<R> {
    return this.#keyed.withLock(ONLY_KEY, fn, options);
  }

  /** Whether the lock is held right now. */
  get isLocked(): boolean {
    return this.#keyed.isLocked(ONLY_KEY);
  }

  /** A snapshot of the counters. */
  get stats(): LockStats {
    return this.#keyed.stats;
  }
}
