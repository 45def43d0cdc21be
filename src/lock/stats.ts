/** Counters of a lock, for dashboards and alerts. A snapshot: read `stats` again for fresh numbers. */
export interface LockStats {
  /** Keys held right now. */
  readonly active: number;
  /** Waiters queued right now, over all keys. */
  readonly queued: number;
  /** Keys currently known: held or waited for. Idle keys are deleted, so this does not grow without bound. */
  readonly keys: number;
  /** Acquisitions granted since the lock was made. */
  readonly acquired: number;
  /** Waiters that gave up after `timeoutMs`. */
  readonly timedOut: number;
  /** Waiters turned away because the queue held `maxQueue` already. */
  readonly rejected: number;
  /** Waiters whose signal was aborted while they queued (their client hung up). */
  readonly abandoned: number;
  /** Acquisitions that failed because the backend (Redis) failed. */
  readonly failed: number;
  /** Total time granted acquisitions spent waiting, in ms. */
  readonly waitedMs: number;
  /** Longest wait of a granted acquisition, in ms. */
  readonly maxWaitMs: number;
}

/** The mutable counters behind `LockStats`. */
export class LockCounters {
  acquired = 0;
  timedOut = 0;
  rejected = 0;
  abandoned = 0;
  failed = 0;
  waitedMs = 0;
  maxWaitMs = 0;

  recordWait(ms: number): void {
    this.acquired += 1;
    this.waitedMs += ms;
    if (ms > this.maxWaitMs) this.maxWaitMs = ms;
  }
}
