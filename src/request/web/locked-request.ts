import { runHolding } from '../../lock/held.js';
import type { KeyedMutex } from '../../lock/keyed-mutex.js';
import { abortLease, type Lease, leaseToken, releaseQuietly } from '../../lock/lease.js';
import { type HeldMark, markHeld, ResponseClosedError, unmarkHeld } from '../lock-marks.js';
import type { RequestEnd, WatchSettings } from '../watch.js';
import { WebRequestWatch } from './watch.js';

/** What granting asks of the adapter: `LockHooks` of request-lock.ts, which builds these requests. */
interface GrantHooks {
  proceed(): unknown;
  fail(error: unknown): void;
  left?(): void;
}

/** The `RequestLock` a request is part of: its locks, and its counters of how holders ended. */
interface OwningLock {
  readonly settings: { readonly locks: KeyedMutex };
  count(end: RequestEnd | 'granted-after-disconnect'): void;
}

/**
 * A web-standard request's part in the lock protocol (see `LockedRequest`
 * for Node's): waiting, then holding until its Response's body was read or
 * cancelled (the adapter hands the Response to `responded`), then done. A
 * client that leaves the queue never runs; a grant that comes after it left
 * is released at once; after a hang-up the lock is held until the handler
 * returned, at most `abandonedHoldMs`, and the holder's signal aborts.
 */
export class WebLockedRequest extends WebRequestWatch implements HeldMark {
  /** Made only for a request that queues: aborted when its client leaves, so it leaves the queue. */
  #leaving: AbortController | undefined;
  lease: Lease | undefined;
  previous: HeldMark | undefined;

  constructor(
    request: Request,
    settings: WatchSettings,
    readonly lock: OwningLock,
  ) {
    super(request, settings);
  }

  /** The locks this request's lease is from, for `holds`. */
  get locks(): KeyedMutex {
    return this.lock.settings.locks;
  }

  waiting(): AbortController {
    const leaving = new AbortController();
    this.#leaving = leaving;
    if (this.clientGone) leaving.abort(new ResponseClosedError());
    return leaving;
  }

  granted(lease: Lease, hooks: GrantHooks): void {
    // The client may have gone while the grant was on its way: a request that never started is not started now.
    if (this.clientGone || this.ended) {
      this.lock.count('granted-after-disconnect');
      releaseQuietly(lease);
      hooks.left?.();
      return;
    }
    this.lease = lease;
    markHeld(this.request, this);
    // The adapter reports the end through `responded` or `handlerDone` once its chain settled.
    try {
      const token = leaseToken(lease);
      if (token === undefined) hooks.proceed();
      else runHolding(token, hooks.proceed);
    } catch (error) {
      hooks.fail(error);
    }
  }

  protected override onDisconnect(): void {
    if (this.lease === undefined) {
      // Still queued (or never granted): leave the queue; no handler runs, so nothing to wait for.
      this.#leaving?.abort(new ResponseClosedError());
      this.handlerDone();
    } else abortLease(this.lease, new ResponseClosedError());
  }

  protected onEnd(end: RequestEnd): void {
    const lease = this.lease;
    if (lease === undefined) return;
    unmarkHeld(this.request, this);
    this.lock.count(end);
    if (end === 'abandoned') {
      process.emitWarning(
        `Released lock \`${lease.key}\` ${this.settings.abandonedHoldMs} ms after its client hung up, while the ` +
          "handler had not returned: the next request may run beside it. Return when the lock's signal aborts, " +
          'or raise `abandonedHoldMs`.',
        { code: 'CURRENT_ATTRIBUTES_LOCK_ABANDONED' },
      );
    }
    releaseQuietly(lease);
  }
}
