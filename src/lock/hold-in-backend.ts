import { MissingPeerDependencyError } from '../core/peer.js';
import type { LockBackend, RemoteLock } from './backend.js';
import { LockAbortedError, LockTimeoutError, LockUnavailableError } from './errors.js';
import { settleWithin } from './settle-within.js';

/** The budget of one acquisition in the backend. */
export interface BackendBudget {
  /** The caller's whole `timeoutMs`, for the error message. */
  readonly timeoutMs: number;
  /** What is left of it after the local queue (may be `Infinity`); `undefined` for a single attempt (`tryAcquire`). */
  readonly remainingMs: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onLost: (cause: unknown) => void;
}

/**
 * Holds `key` in `backend` within the caller's budget, whatever the backend
 * does meanwhile. Resolves with the remote lock, or `undefined` when a single
 * attempt found the key held elsewhere. Rejects with `LockTimeoutError` when
 * the budget runs out, `LockAbortedError` when the signal aborts,
 * `LockUnavailableError` when the backend fails (but `MissingPeerDependencyError`
 * as it is, when the backend's client library is not installed); the backend
 * is then told to stop (its signal aborts), and a lock it still grants is
 * released at once.
 *
 * @example
 * ```ts
 * const remote = await holdInBackend(backend, 'k', { timeoutMs: 500, remainingMs: 420, signal, onLost });
 * ```
 */
export async function holdInBackend(
  backend: LockBackend,
  key: string,
  { timeoutMs, remainingMs, signal, onLost }: BackendBudget,
): Promise<RemoteLock | undefined> {
  // The local queue may have used it all: a timer runs late on a busy event loop.
  if (remainingMs !== undefined && remainingMs <= 0) throw new LockTimeoutError(key, timeoutMs);
  const giveUp = new AbortController();
  const pending = new Promise<RemoteLock | undefined>((resolve) =>
    resolve(backend.acquire(key, { timeoutMs: remainingMs ?? 0, signal: giveUp.signal, onLost })),
  );
  try {
    // A single attempt is bounded by the backend itself (the Redis one: `commandTimeoutMs`).
    const bound = remainingMs ?? Number.POSITIVE_INFINITY;
    return await settleWithin(pending, bound, signal, () => new LockTimeoutError(key, timeoutMs, true));
  } catch (error) {
    giveUp.abort(error);
    // Nobody waits for it any more; if it fails, the backend's lease expires by itself.
    pending.then((late) => late?.release()).catch(() => undefined);
    // A missing peer is no outage: say what to install, not "unavailable", which lock middleware answers with 503.
    if (error instanceof LockTimeoutError || error instanceof MissingPeerDependencyError) throw error;
    if (signal?.aborted) throw new LockAbortedError(key, signal.reason);
    throw new LockUnavailableError(key, error);
  }
}
