import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidArgumentError } from '../core/errors.js';
import { isPromiseLike } from '../core/scope.js';
import { describeValue, expectFunction } from '../core/validate.js';
import { activeRequestScope } from '../deadline/signalled-scope.js';
import {
  LockAbortedError,
  type LockError,
  LockLostError,
  LockQueueFullError,
  LockTimeoutError,
  LockUnavailableError,
  ReentrantLockError,
} from '../lock/errors.js';
import { runHolding } from '../lock/held.js';
import type { KeyedMutex } from '../lock/keyed-mutex.js';
import { abortLease, type Lease, LocalLease, leaseToken, releaseQuietly } from '../lock/lease.js';
import type { LockStats } from '../lock/stats.js';
import { type HeldMark, holds, markHeld, ResponseClosedError, unmarkHeld } from './lock-marks.js';
import { checkRequestLockOptions, type RequestLockOptions, type RequestLockSettings } from './lock-settings.js';
import type { Production } from './production.js';
import { type RequestEnd, RequestWatch, type WatchSettings } from './watch.js';
import { WebLockedRequest } from './web/locked-request.js';

/** What a framework adapter lets the lock do with one request. */
export interface LockHooks {
  /**
   * Runs the rest of the request while the lock is held. Returns a promise
   * that settles when the handler is done, where the framework can tell
   * (the adapter handles its rejection; the lock only watches it settle), or
   * anything else where it cannot.
   */
  proceed(): unknown;
  /** Answers a request that did not get the lock: timeout, full queue, backend down. */
  reject(error: LockError): void;
  /** Passes on an error the request cannot recover from: a bad key, a lock it already holds. */
  fail(error: unknown): void;
  /**
   * Called when the client left while the request waited: it never runs and
   * nobody reads an answer. Lets a framework whose middleware returns a
   * promise settle it, so the middleware before it resume and end.
   */
  left?(): void;
  /**
   * Called when the handler is done after its client hung up, before the
   * lock's release is decided: where the framework still writes the response
   * after the handler (a body it pipes, a send after its hooks), tell
   * `production`, so the lock is held until that is over too.
   */
  followUp?(production: Production): void;
}

/** Counters of a request lock: its `KeyedMutex`'s, plus what happened to holders whose client hung up. */
export interface RequestLockStats extends LockStats {
  /** Holders whose client hung up, released once their handler ended the response or settled: no overlap. */
  readonly releasedAfterDisconnect: number;
  /** Holders whose client hung up, released by `abandonedHoldMs` while their handler may still run. */
  readonly releasedByBound: number;
}

/**
 * The per-request lock protocol, for every framework: acquire before the
 * handler, release exactly once when the request's work is over, never run a
 * request whose client left while it queued, release at once a grant that
 * arrives after the client left.
 *
 * `Subject` is what the key function reads: the request itself for Express
 * and node:http, the framework's own object (Koa's `ctx`, Hono's `c`) for others.
 */
export class RequestLock<Subject> {
  #abandonedAfterGrant = 0;
  #releasedAfterDisconnect = 0;
  #releasedByBound = 0;
  readonly #watch: WatchSettings;
  readonly #watchUntilHandlerDone: WatchSettings;

  constructor(
    readonly settings: RequestLockSettings,
    readonly keyOf: (subject: Subject) => string,
  ) {
    this.#watch = { abandonedHoldMs: settings.abandonedHoldMs };
    this.#watchUntilHandlerDone = { abandonedHoldMs: Number.POSITIVE_INFINITY, untilHandlerDone: true };
  }

  /**
   * Takes the lock of `subject`'s key for the request `req`/`res`, then calls
   * `hooks.proceed`. With `untilHandlerDone` (`wrap`), holds until the
   * handler's promise settled as well as the response closed, with no bound.
   */
  handle(
    subject: Subject,
    req: IncomingMessage,
    res: ServerResponse,
    hooks: LockHooks,
    untilHandlerDone = false,
  ): void {
    const key = this.#keyFor(subject, req, hooks);
    if (key === undefined) return;
    const watch = untilHandlerDone ? this.#watchUntilHandlerDone : this.#watch;
    this.#enter(key, new LockedRequest(req, res, watch, this), hooks);
  }

  /**
   * Takes the lock of `subject`'s key for a web-standard `request` (a `fetch`
   * handler's), then calls `hooks.proceed`; the request's end is its
   * Response's, which `hooks.proceed`'s caller reports (see `WebLockedRequest`).
   */
  handleWeb(subject: Subject, request: Request, hooks: LockHooks): WebLockedRequest | undefined {
    const key = this.#keyFor(subject, request, hooks);
    if (key === undefined) return undefined;
    const locked = new WebLockedRequest(request, this.#watch, this);
    this.#enter(key, locked, hooks);
    return locked;
  }

  /** The key of `subject`'s request, or undefined once `hooks.fail` was told why there is none. */
  #keyFor(subject: Subject, holder: object, hooks: LockHooks): string | undefined {
    let key: string;
    try {
      key = this.keyOf(subject);
      if (typeof key !== 'string') {
        throw new InvalidArgumentError(`Expected the lock key of a request to be a string, got ${describeValue(key)}.`);
      }
    } catch (error) {
      hooks.fail(error);
      return undefined;
    }
    if (holds(holder, this.settings.locks, key)) {
      hooks.fail(new ReentrantLockError(key));
      return undefined;
    }
    return key;
  }

  #enter(key: string, request: LockParticipant, hooks: LockHooks): void {
    const { locks, acquire } = this.settings;
    let free: Lease | undefined;
    try {
      free = locks.takeIfFree(key);
    } catch (error) {
      request.handlerDone();
      hooks.fail(error);
      return;
    }
    // A free key is taken here and now: no promise, no signal to leave a queue it never joins.
    if (free !== undefined) {
      request.granted(free, hooks);
      return;
    }
    const leaving = request.waiting();
    locks.acquire(key, { ...acquire, signal: leaving.signal }).then(
      (lease) => request.granted(lease, hooks),
      (error: unknown) => {
        request.handlerDone();
        if (error instanceof LockAbortedError && leaving.signal.aborted) hooks.left?.();
        else if (isRejection(error)) hooks.reject(error);
        else hooks.fail(error);
      },
    );
  }

  /** A snapshot of the counters. */
  get stats(): RequestLockStats {
    const stats = this.settings.locks.stats;
    return {
      ...stats,
      abandoned: stats.abandoned + this.#abandonedAfterGrant,
      releasedAfterDisconnect: this.#releasedAfterDisconnect,
      releasedByBound: this.#releasedByBound,
    };
  }

  /** Counts how a holder's request ended. */
  count(end: RequestEnd | 'granted-after-disconnect'): void {
    if (end === 'granted-after-disconnect') this.#abandonedAfterGrant += 1;
    else if (end === 'after-disconnect') this.#releasedAfterDisconnect += 1;
    else if (end === 'abandoned') this.#releasedByBound += 1;
  }
}

/**
 * Validates a lock adapter's options when the lock is made, its answer to a
 * rejected request (`onRejected`) included, and builds the lock.
 *
 * @throws {InvalidArgumentError} naming the first option that is wrong and what it takes.
 */
export function createRequestLock<Subject>(
  keyOf: (subject: Subject) => string,
  options: RequestLockOptions & { readonly onRejected?: unknown },
): RequestLock<Subject> {
  const settings = checkRequestLockOptions(options);
  if (options.onRejected !== undefined) expectFunction('options.onRejected', options.onRejected);
  return new RequestLock(settings, keyOf);
}

/** One request's part in the lock protocol, whatever server it came through. */
export interface LockParticipant {
  /** The request queues: its signal to leave the queue when the client does. */
  waiting(): AbortController;
  /** The lock is its: run the rest of the request, unless its client is gone. */
  granted(lease: Lease, hooks: LockHooks): void;
  /** The handler is done, or will never run. */
  handlerDone(): void;
}

/** One request's part in the lock protocol: waiting, then holding, then done. */
class LockedRequest extends RequestWatch implements HeldMark, LockParticipant {
  /** Made only for a request that queues: aborted when its client leaves, so it leaves the queue. */
  #leaving: AbortController | undefined;
  /** The framework's part, once the request holds the lock. */
  #hooks: LockHooks | undefined;
  lease: Lease | undefined;
  previous: HeldMark | undefined;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    settings: WatchSettings,
    readonly lock: RequestLock<never>,
  ) {
    super(req, res, settings);
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
    // The client may have gone while the grant was on its way: a request that
    // never started is not started now, and a close listener added now would
    // never fire, so the lock is released at once.
    if (this.clientGone || this.ended) {
      this.lock.count('granted-after-disconnect');
      releaseQuietly(lease);
      // Settled as a request that left the queue: the middleware before the lock resumes at once.
      hooks.left?.();
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

  readonly #done = () => this.handlerDone();

  protected override followUp(production: Production): void {
    this.#hooks?.followUp?.(production);
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
    unmarkHeld(this.req, this);
    this.lock.count(end);
    if (end === 'abandoned') {
      process.emitWarning(
        `Released lock \`${lease.key}\` ${this.settings.abandonedHoldMs} ms after its client hung up, while the ` +
          'handler had not ended the response: the next request may run beside it. End the response when ' +
          "the lock's signal aborts, or raise `abandonedHoldMs`.",
        { code: 'CURRENT_ATTRIBUTES_LOCK_ABANDONED' },
      );
    }
    releaseQuietly(lease);
  }
}

/**
 * A remote lease can lapse while its holder runs: then the request's own
 * signal (`requestSignal()`) aborts with the `LockLostError` too. Local
 * leases are never lost, so only remote ones pay for the listener.
 */
function abortRequestIfLost(lease: Lease): void {
  const scope = activeRequestScope();
  if (scope === undefined) return;
  const { signal } = lease;
  signal.addEventListener(
    'abort',
    () => {
      if (signal.reason instanceof LockLostError) scope.abort(signal.reason);
    },
    { once: true },
  );
}

export function isRejection(error: unknown): error is LockError {
  return (
    error instanceof LockTimeoutError || error instanceof LockQueueFullError || error instanceof LockUnavailableError
  );
}
