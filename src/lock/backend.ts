/** A lock held in a remote store, released once. */
export interface RemoteLock {
  /** Settles in bounded time, also when the store cannot be reached; rejects when the release failed. */
  release(): Promise<void>;
}

/** What a remote backend is asked for each acquisition. */
export interface RemoteAcquireOptions {
  /** How long to keep trying, in ms (may be `Infinity`); `0` means one attempt only, which the backend must bound itself. */
  readonly timeoutMs: number;
  /**
   * Aborted when the caller stops waiting (its time ran out, or its own
   * signal aborted): stop trying. `KeyedMutex` has answered the caller by
   * then, and releases a lock that is still granted.
   */
  readonly signal: AbortSignal;
  /** Call this if the lock is lost while held (its lease lapsed); the holder's signal is aborted with the cause. */
  readonly onLost: (cause: unknown) => void;
}

/**
 * A store that holds locks across processes, behind a `KeyedMutex`'s
 * in-process queue, so at most one waiter per key and process talks to it.
 * `KeyedMutex` bounds each acquisition by the caller's `timeoutMs` and
 * signal whatever the backend does; a backend bounds what only it knows
 * about (a single attempt, a renewal, a release) so that no call hangs.
 * `current-attributes/lock/redis` provides one for Redis.
 *
 * @example
 * ```ts
 * const locks = new KeyedMutex({ backend: redisBackend({ client: new Redis() }) });
 * ```
 */
export interface LockBackend {
  /** Resolves with the held lock, or `undefined` when `timeoutMs` passed first. Rejects when the store fails. */
  acquire(key: string, options: RemoteAcquireOptions): Promise<RemoteLock | undefined>;
}
