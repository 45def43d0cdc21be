import { runHolding } from '../../lock/held.js';
import type { KeyedMutex } from '../../lock/keyed-mutex.js';
import { type Lease, leaseToken } from '../../lock/lease.js';
import { type HeldMark, markHeld, ResponseClosedError } from '../lock-marks.js';
import {
  type LockHooks,
  type LockParticipant,
  leaveOnDisconnect,
  type OwningLock,
  refuseLateGrant,
  releaseAtEnd,
} from '../lock-participant.js';
import type { WatchSettings } from '../watch.js';
import type { RequestEnd } from '../watched-request.js';
import { WebRequestWatch } from './watch.js';

/**
 * A web-standard request's part in the lock protocol (see `LockedRequest`
 * for Node's): waiting, then holding until its Response's body was read or
 * cancelled (the adapter hands the Response to `responded`), or until the
 * handler answered a body the runtime sends whole, then done. A
 * client that leaves the queue never runs; a grant that comes after it left
 * is released at once; after a hang-up the lock is held until the handler
 * returned, at most `abandonedHoldMs`, and the holder's signal aborts.
 */
export class WebLockedRequest extends WebRequestWatch implements HeldMark, LockParticipant {
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

  granted(lease: Lease, hooks: LockHooks): void {
    if (this.clientGone || this.ended) {
      refuseLateGrant(this.lock, lease, hooks);
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
    leaveOnDisconnect(this.lease, this.#leaving, this);
  }

  protected onEnd(end: RequestEnd): void {
    if (this.lease === undefined) return;
    releaseAtEnd(
      this.lock,
      this.request,
      this as this & { lease: Lease },
      end,
      this.settings.abandonedHoldMs,
      'returned',
    );
  }
}
