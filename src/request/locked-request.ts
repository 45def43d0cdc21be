import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPromiseLike } from '../core/scope.js';
import { activeLifetime } from '../deadline/lifetime.js';
import { LockLostError } from '../lock/errors.js';
import { runHolding } from '../lock/held.js';
import type { KeyedMutex } from '../lock/keyed-mutex.js';
import { type Lease, LocalLease, leaseToken } from '../lock/lease.js';
import { type HeldMark, markHeld } from './lock-marks.js';
import {
  type LockHooks,
  type LockParticipant,
  leaveOnDisconnect,
  type OwningLock,
  refuseLateGrant,
  releaseAtEnd,
} from './lock-participant.js';
import type { Production } from './production.js';
import { RequestWatch, type WatchSettings } from './watch.js';
import type { RequestEnd, WatchedRequest } from './watched-request.js';

/**
 * One Node request's part in the lock protocol (see `WebLockedRequest` for
 * a web-standard one's): waiting, then holding until its response's end as
 * `RequestWatch` follows it, then done. A client that leaves the queue never
 * runs; a grant that comes after it left is released at once.
 *
 * @example
 * ```ts
 * // What `RequestLock.handle` does for one request:
 * lock.enter(key, new LockedRequest(req, res, { abandonedHoldMs: 30_000 }, lock), hooks);
 * ```
 */
export class LockedRequest implements HeldMark, LockParticipant, WatchedRequest {
  readonly watch: RequestWatch;
  /** Made only for a request that queues: aborted when its client leaves, so it leaves the queue. */
  #leaving: AbortController | undefined;
  /** The framework's part, once the request holds the lock. */
  #hooks: LockHooks | undefined;
  lease: Lease | undefined;
  previous: HeldMark | undefined;

  constructor(
    readonly req: IncomingMessage,
    res: ServerResponse,
    readonly settings: WatchSettings,
    readonly lock: OwningLock,
  ) {
    this.watch = new RequestWatch(req, res, settings, this);
  }

  /** The locks this request's lease is from, for `holds`. */
  get locks(): KeyedMutex {
    return this.lock.settings.locks;
  }

  /** The request queues: its signal to leave the queue when the client does. */
  waiting(): AbortController {
    this.#leaving = new AbortController();
    return this.#leaving;
  }

  granted(lease: Lease, hooks: LockHooks): void {
    if (this.watch.clientGone || this.watch.ended) {
      refuseLateGrant(this.lock, lease, hooks);
      return;
    }
    this.lease = lease;
    this.#hooks = hooks;
    markHeld(this.req, this);
    if (lease instanceof LocalLease && lease.remote !== undefined) abortRequestIfLost(lease);
    let result: unknown;
    try {
      const token = leaseToken(lease);
      result = token === undefined ? hooks.proceed() : runHolding(token, hooks.proceed);
    } catch (error) {
      hooks.fail(error);
      return;
    }
    // Only a promise can say when the handler is done: Express's `next()` returns before the handler ran.
    if (isPromiseLike(result)) result.then(this.#done, this.#done);
  }

  readonly #done = () => this.watch.handlerDone();

  /** The handler is done, or will never run. */
  handlerDone(): void {
    this.watch.handlerDone();
  }

  /** @internal Called by the watch. */
  followUp(production: Production): void {
    this.#hooks?.followUp?.(production);
  }

  /** @internal Called by the watch. */
  onDisconnect(): void {
    leaveOnDisconnect(this.lease, this.#leaving, this);
  }

  /** @internal Called by the watch. */
  onEnd(end: RequestEnd): void {
    if (this.lease === undefined) return;
    releaseAtEnd(
      this.lock,
      this.req,
      this as this & { lease: Lease },
      end,
      this.settings.abandonedHoldMs,
      'ended the response',
    );
  }
}

/**
 * A remote lease can lapse while its holder runs: then the request's own
 * signal (`requestSignal()`) aborts with the `LockLostError` too. Local
 * leases are never lost, so only remote ones pay for the listener.
 */
function abortRequestIfLost(lease: Lease): void {
  const lifetime = activeLifetime();
  if (lifetime === undefined) return;
  const { signal } = lease;
  signal.addEventListener(
    'abort',
    () => {
      if (signal.reason instanceof LockLostError) lifetime.abort(signal.reason);
    },
    { once: true },
  );
}
