/** A lock held in a remote store, released once. */
export interface RemoteLock {
  release(): Promise<void>;
}

/** What a remote backend is asked for each acquisition. */
export interface RemoteAcquireOptions {
  /** How long to keep trying, in ms (may be `Infinity`); `0` means one attempt only. */
  readonly timeoutMs: number;
  /** Stop trying when this aborts. */
  readonly signal: AbortSignal | undefined;
  /** Call this if the lock is lost while held (its lease lapsed); the holder's signal is aborted with the cause. */
  readonly onLost: (cause: unknown) => void;
}

/**
 * A store that holds locks across processes, behind a `KeyedMutex`'s
 * in-process queue, so at most one waiter per key and process talks to it.
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
