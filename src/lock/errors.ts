import { CurrentAttributesError } from '../core/errors.js';

/**
 * The base class of the errors a lock rejects an acquisition with. The
 * middleware answers the first three with `503 Service Unavailable` and a
 * `Retry-After` header.
 *
 * @example
 * ```ts
 * try {
 *   await locks.withLock(`order:${id}`, fulfil, { timeoutMs: 2000 });
 * } catch (error) {
 *   if (error instanceof LockError) return res.status(503).end();
 *   throw error;
 * }
 * ```
 */
export class LockError extends CurrentAttributesError {
  override name = 'LockError';

  constructor(
    readonly key: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The lock was not granted within `timeoutMs`. The waiter has left the queue.
 * `inBackend` tells where the time ran out: in this process's queue, or in
 * the remote backend (another process held the key, or the backend did not
 * answer: Redis frozen, unreachable, still connecting).
 *
 * @example
 * ```ts
 * await locks.acquire('report', { timeoutMs: 100 }); // held elsewhere for longer: LockTimeoutError
 * ```
 */
export class LockTimeoutError extends LockError {
  override name = 'LockTimeoutError';

  constructor(
    key: string,
    timeoutMs: number,
    readonly inBackend = false,
  ) {
    super(
      key,
      inBackend
        ? `Timed out after ${timeoutMs} ms waiting for lock \`${key}\` in the lock backend: ` +
            'another process held it, or the backend did not answer. Check that it is reachable, raise `timeoutMs`, or retry later.'
        : `Timed out after ${timeoutMs} ms waiting for lock \`${key}\`. ` +
            'The holder kept it longer: shorten the critical section, raise `timeoutMs`, or retry later.',
    );
  }
}

/**
 * The queue of the key already holds `maxQueue` waiters, so this one was
 * turned away at once instead of adding to an unbounded backlog.
 *
 * @example
 * ```ts
 * const locks = new KeyedMutex({ maxQueue: 0 });
 * await locks.acquire('a');
 * await locks.acquire('a'); // LockQueueFullError
 * ```
 */
export class LockQueueFullError extends LockError {
  override name = 'LockQueueFullError';

  constructor(key: string, maxQueue: number) {
    super(
      key,
      `The queue for lock \`${key}\` is full (${maxQueue} waiting). ` +
        'Retry later, or raise `maxQueue` if the backlog is expected.',
    );
  }
}

/**
 * A remote lock backend (Redis) failed, or did not answer within its own
 * bound, while acquiring (`action: 'acquire'`: the local queue moved on,
 * nothing is held) or releasing (`'release'`: the key already passed to the
 * next local waiter; the backend lets the key expire when its lease runs out).
 *
 * @example
 * ```ts
 * await locks.acquire('job'); // Redis is down: LockUnavailableError
 * ```
 */
export class LockUnavailableError extends LockError {
  override name = 'LockUnavailableError';

  constructor(
    key: string,
    cause: unknown,
    readonly action: 'acquire' | 'release' = 'acquire',
  ) {
    super(
      key,
      action === 'acquire'
        ? `Could not acquire lock \`${key}\`: the lock backend failed (${String(cause)}). Check that it is reachable.`
        : `Could not release lock \`${key}\` in the lock backend (${String(cause)}). ` +
            'It expires there when its lease runs out; check that the backend is reachable.',
      { cause },
    );
  }
}

/**
 * The waiter's `signal` was aborted while it queued (the client of a request
 * hung up). It left the queue and never got the lock.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const waiting = locks.acquire('a', { signal: controller.signal });
 * controller.abort(); // waiting rejects with LockAbortedError
 * ```
 */
export class LockAbortedError extends LockError {
  override name = 'LockAbortedError';

  constructor(key: string, reason: unknown) {
    super(key, `Stopped waiting for lock \`${key}\`: the signal was aborted.`, { cause: reason });
  }
}

/**
 * The code asking for a lock already holds it (it runs inside that lock's
 * critical section), so waiting would wait for itself forever.
 *
 * @example
 * ```ts
 * await locks.withLock('a', () => locks.withLock('a', work)); // ReentrantLockError
 * ```
 */
export class ReentrantLockError extends LockError {
  override name = 'ReentrantLockError';

  constructor(key: string) {
    super(
      key,
      `Lock \`${key}\` is already held by this request (the code asking runs inside its critical section); ` +
        'waiting for it again would deadlock. Do the inner work without locking again, or lock a different key.',
    );
  }
}

/**
 * The reason a holder's `signal` is aborted when its remote lease lapsed
 * before release (the process stalled past the TTL, or the key vanished from
 * Redis): another process may hold the lock now.
 *
 * @example
 * ```ts
 * await locks.withLock('import', async (signal) => {
 *   for (const row of rows) {
 *     signal.throwIfAborted(); // LockLostError once the lease is gone
 *     await save(row);
 *   }
 * });
 * ```
 */
export class LockLostError extends LockError {
  override name = 'LockLostError';

  constructor(key: string, cause?: unknown) {
    super(
      key,
      `The lease on lock \`${key}\` lapsed before it was released; another holder may have it now. ` +
        'Stop the work on this signal, or make the work safe to repeat.',
      { cause },
    );
  }
}

/**
 * Whether `error` is a lock's answer that the request cannot have the lock
 * now (timeout, full queue, backend down), which an adapter answers with a
 * 503 or its `onRejected`, rather than a fault to pass on.
 *
 * @example
 * ```ts
 * if (isRejection(error)) res.status(503).set('Retry-After', '1').end();
 * else next(error);
 * ```
 */
export function isRejection(error: unknown): error is LockTimeoutError | LockQueueFullError | LockUnavailableError {
  return (
    error instanceof LockTimeoutError || error instanceof LockQueueFullError || error instanceof LockUnavailableError
  );
}
