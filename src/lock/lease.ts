import type { RemoteLock } from './backend.js';
import { LockUnavailableError } from './errors.js';

/** A granted lock. Release it exactly once, in a `finally`; later calls do nothing. */
export interface Lease {
  readonly key: string;
  /** Aborted when the lock is lost (a remote lease lapsed) or given up early (the response closed). */
  readonly signal: AbortSignal;
  /** Releases the lock and grants it to the next waiter. Rejects only when a remote release failed. */
  release(): Promise<void>;
}

/** The state of one key: held or not, and who waits for it. Also the token of its critical section. */
export class KeyState {
  busy = false;
  /** Waiters in arrival order; a Set so a waiter that gives up leaves in O(1). */
  readonly waiters = new Set<() => void>();
}

/** The lease `KeyedMutex` hands out. */
export class LocalLease implements Lease {
  readonly #controller = new AbortController();
  #released: Promise<void> | undefined;

  constructor(
    readonly key: string,
    readonly token: KeyState,
    readonly remote: RemoteLock | undefined,
    readonly handOver: () => void,
  ) {}

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    this.#controller.abort(reason);
  }

  release(): Promise<void> {
    this.#released ??= this.#release();
    return this.#released;
  }

  async #release(): Promise<void> {
    if (this.remote === undefined) {
      this.handOver();
      return;
    }
    try {
      await this.remote.release();
    } catch (error) {
      throw new LockUnavailableError(this.key, error);
    } finally {
      this.handOver();
    }
  }
}

/** The token that marks code as running inside `lease`'s critical section (see `runHolding`). */
export function leaseToken(lease: Lease): object | undefined {
  return lease instanceof LocalLease ? lease.token : undefined;
}

/** Aborts the signal of a lease this module made. */
export function abortLease(lease: Lease, reason: unknown): void {
  if (lease instanceof LocalLease) lease.abort(reason);
}
