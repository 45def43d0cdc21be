import { expectOptions, optionNames } from '../core/options.js';
import type { AcquireOptions } from './acquire-options.js';
import { KeyedMutex } from './keyed-mutex.js';

/** The process-wide locks behind `withLock`. */
const sharedLocks = new KeyedMutex();

/** Options of `withLock`: the bounds of the acquisition, and optionally the locks to use. */
export interface WithLockOptions extends AcquireOptions {
  /** The `KeyedMutex` to lock in (for example one with a Redis backend). Default: one shared by the process. */
  readonly locks?: KeyedMutex;
}

const WITH_LOCK_OPTIONS = optionNames<WithLockOptions>({ locks: true, timeoutMs: true, maxQueue: true, signal: true });

/**
 * Runs `fn` while holding `key` in a process-wide `KeyedMutex` (or in
 * `options.locks`), and releases it afterwards, also when `fn` throws.
 * `fn` receives the lease's signal, aborted if the lock is lost.
 *
 * Warning: a lock in memory serializes one process only. For several
 * processes use a Redis-backed `KeyedMutex`, and for money and stock let the
 * database decide (a transaction with `SELECT ... FOR UPDATE`, a unique
 * index, an atomic `UPDATE ... SET n = n - 1 WHERE n > 0`).
 *
 * @throws {ReentrantLockError} when the caller already holds `key` (detected inside a scope).
 * @throws {InvalidArgumentError} when an option has the wrong type or is not one it takes.
 * @example
 * ```ts
 * await withLock(`invoice:${id}`, async () => {
 *   const invoice = await invoices.find(id);
 *   if (!invoice.sent) await mailer.send(invoice);
 *   await invoices.markSent(id);
 * }, { timeoutMs: 5000 });
 * ```
 */
export function withLock<R>(
  key: string,
  fn: (signal: AbortSignal) => R | Promise<R>,
  options: WithLockOptions = {},
): Promise<R> {
  expectOptions(options, WITH_LOCK_OPTIONS, 'withLock()');
  const { locks = sharedLocks, ...acquireOptions } = options;
  return locks.withLock(key, fn, acquireOptions);
}
