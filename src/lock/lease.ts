import type { RemoteLock } from './backend.js';
import { LockUnavailableError } from './errors.js';

/** A granted lock. Release it exactly once, in a `finally`; later calls do nothing. */
export interface Lease {
  readonly key: string;
  /** Aborted when the lock is lost (a remote lease lapsed) or given up early (the response closed). */
  readonly signal: AbortSignal;
  /**
   * Releases the lock and grants it to the next waiter at once. Rejects with
   * `LockUnavailableError` only when a remote release failed; the next waiter
   * has the key by then all the same.
   */
  release(): Promise<void>;
}

/** The state of one key: held or not, by which lease, and who waits for it. */
export class KeyState {
  busy = false;
  /** The lease holding the key, once granted; `undefined` while the next holder is still being granted. */
  holder: LocalLease | undefined;
  /**
   * Waiters in arrival order; a Set so a waiter that gives up leaves in O(1).
   * Made when the first one queues: a key taken and released with nobody
   * waiting (most requests through a lock middleware) never needs one.
   */
  #waiters: Set<() => void> | undefined;

  /** How many wait. */
  get queued(): number {
    return this.#waiters?.size ?? 0;
  }

  /** Queues `grant`, to be called when the key passes to it. */
  enqueue(grant: () => void): void {
    this.#waiters ??= new Set();
    this.#waiters.add(grant);
  }

  /** Takes `grant` out of the queue: its waiter gave up. */
  leave(grant: () => void): void {
    this.#waiters?.delete(grant);
  }

  /** Takes the first waiter out of the queue and returns it; `undefined` when nobody waits. */
  next(): (() => void) | undefined {
    const waiters = this.#waiters;
    if (waiters === undefined) return undefined;
    for (const first of waiters) {
      waiters.delete(first);
      return first;
    }
    return undefined;
  }
}

/** What every local release resolves with: nothing to wait for. */
const RELEASED: Promise<void> = Promise.resolve();

/**
 * The lease `KeyedMutex` hands out. Also the token that marks code as
 * running inside its critical section (see `runHolding`): a mark of this
 * lease, not of the key, so code that still carries it after the release
 * (background work the section started) waits like any other caller.
 */
export class LocalLease implements Lease {
  // Made on first use: most holders never read the signal, and the lock middleware takes a lease per request.
  #controller: AbortController | undefined;
  #released: Promise<void> | undefined;

  constructor(
    readonly key: string,
    readonly state: KeyState,
    readonly remote: RemoteLock | undefined,
    readonly handOver: (key: string, state: KeyState) => void,
  ) {}

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    this.#controller ??= new AbortController();
    this.#controller.abort(reason);
  }

  release(): Promise<void> {
    if (this.#released !== undefined) return this.#released;
    if (this.remote === undefined) {
      // No backend: the release is done once the key has passed on, with no promise of its own to make.
      this.#released = RELEASED;
      this.handOver(this.key, this.state);
      return RELEASED;
    }
    this.#released = this.#releaseRemote(this.remote);
    return this.#released;
  }

  async #releaseRemote(remote: RemoteLock): Promise<void> {
    // The remote release is sent first, so the next local waiter's attempt
    // reaches the backend after it. The local turn passes at once: other
    // holders are kept out by the backend's key, not by this call, which an
    // outage could hold up for as long as it lasts.
    const releasing = new Promise<void>((resolve) => resolve(remote.release()));
    this.handOver(this.key, this.state);
    try {
      await releasing;
    } catch (error) {
      throw new LockUnavailableError(this.key, error, 'release');
    }
  }
}

/** The token that marks code as running inside `lease`'s critical section (see `runHolding`). */
export function leaseToken(lease: Lease): object | undefined {
  return lease instanceof LocalLease ? lease : undefined;
}

/** Releases `lease` where no caller is left to tell: a failed remote release becomes a process warning. */
export function releaseQuietly(lease: Lease): void {
  const released = lease.release();
  if (released !== RELEASED) released.catch((error: Error) => process.emitWarning(error));
}

/** Aborts the signal of a lease this module made. */
export function abortLease(lease: Lease, reason: unknown): void {
  if (lease instanceof LocalLease) lease.abort(reason);
}
