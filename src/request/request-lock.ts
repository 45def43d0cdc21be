import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidArgumentError } from '../core/errors.js';
import { describeValue, expectFunction } from '../core/validate.js';
import { isRejection, LockAbortedError, ReentrantLockError } from '../lock/errors.js';
import type { Lease } from '../lock/lease.js';
import type { LockStats } from '../lock/stats.js';
import { holds } from './lock-marks.js';
import type { LockHooks, LockParticipant, OwningLock } from './lock-participant.js';
import { checkRequestLockOptions, type RequestLockOptions, type RequestLockSettings } from './lock-settings.js';
import { LockedRequest } from './locked-request.js';
import type { WatchSettings } from './watch.js';
import type { RequestEnd } from './watched-request.js';
import { WebLockedRequest } from './web/locked-request.js';

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
export class RequestLock<Subject> implements OwningLock {
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
