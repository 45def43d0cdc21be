import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { InvalidArgumentError } from '../errors.js';
import type { AcquireOptions } from '../lock/acquire-options.js';
import {
  LockAbortedError,
  type LockError,
  LockQueueFullError,
  LockReleasedEarlyError,
  LockTimeoutError,
  LockUnavailableError,
  ReentrantLockError,
} from '../lock/errors.js';
import { runHolding } from '../lock/held.js';
import { KeyedMutex } from '../lock/keyed-mutex.js';
import { abortLease, type Lease, leaseToken } from '../lock/lease.js';
import type { LockStats } from '../lock/stats.js';
import { describeValue, expectFunction, expectPlainObject } from '../validate.js';
import { onResponseClosed } from './on-response-closed.js';
import { heldByRequest, holds, ResponseClosedError, signals } from './request-locks.js';

/** Options of `globalLock` (and, with `key`, of `keyedLock`). */
export interface LockMiddlewareOptions extends Omit<AcquireOptions, 'signal'> {
  /** The locks to take. Default: a new `KeyedMutex` for this middleware. Pass one with a Redis backend to lock across processes. */
  readonly locks?: KeyedMutex;
  /** The `Retry-After` header, in seconds, of the default `503` answer. Default 1. */
  readonly retryAfterSeconds?: number;
  /** Answers a request that did not get the lock (timeout, full queue, backend down). Default: `503` with `Retry-After`. */
  readonly onRejected?: (error: LockError, req: Request, res: Response, next: NextFunction) => void;
}

/** Options of `keyedLock`. */
export interface KeyedLockOptions extends LockMiddlewareOptions {
  /** The key to lock for a request, such as `(req) => \`account:${req.params.id}\``. */
  readonly key: (req: Request) => string;
}

/** Counters of a lock middleware: its `KeyedMutex`'s, plus releases forced by an early close. */
export interface LockMiddlewareStats extends LockStats {
  /** Locks let go because the response closed before it finished (client hung up) while the handler may still run. */
  readonly releasedEarly: number;
}

/** A lock middleware, with its counters and a wrapper that holds the lock until an async handler settles. */
export interface LockMiddleware extends RequestHandler {
  readonly stats: LockMiddlewareStats;
  /**
   * Wraps a handler so the lock is taken before it runs and released only
   * when the response has closed *and* the handler's promise has settled:
   * a client that hangs up mid-handler never lets the next request in beside it.
   */
  wrap(handler: (req: Request, res: Response, next: NextFunction) => unknown): RequestHandler;
}

/**
 * Middleware that lets one request at a time through a lock per key: FIFO,
 * bounded (`timeoutMs`, `maxQueue`, answered `503` with `Retry-After`),
 * released exactly once when the response closes.
 *
 * @example
 * ```ts
 * app.post('/accounts/:id/transfer', keyedLock({ key: (req) => `account:${req.params.id}` }), transfer);
 * ```
 */
export function keyedLock(options: KeyedLockOptions): LockMiddleware {
  expectPlainObject('options', options);
  expectFunction('options.key', options.key);
  return createLockMiddleware(options.key, options);
}

/**
 * Rack::Lock for Express: one lock around everything mounted after it, so
 * one request runs at a time. It makes legacy module-level state safe at a
 * measured price (`npm run bench`): fix the state with `Current` instead
 * where you can.
 *
 * Acquired before `next()`; released exactly once when the response closes
 * (sent, or the connection aborted): not when `next` returns and not on
 * `res.end()` alone; released after a throw or `next(error)` once the error
 * response closes; never released if it was never acquired. A request whose
 * client hangs up while it queues leaves the queue and never runs.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type.
 * @example
 * ```ts
 * const lock = globalLock({ timeoutMs: 10_000, maxQueue: 100 });
 * app.use(lock);
 * app.get('/metrics/lock', (req, res) => res.json(lock.stats));
 * ```
 */
export function globalLock(options: LockMiddlewareOptions = {}): LockMiddleware {
  expectPlainObject('options', options);
  return createLockMiddleware(() => 'global', options);
}

function createLockMiddleware(keyOf: (req: Request) => string, options: LockMiddlewareOptions): LockMiddleware {
  const { locks = new KeyedMutex(), retryAfterSeconds = 1, onRejected, timeoutMs, maxQueue } = options;
  if (!(locks instanceof KeyedMutex)) {
    throw new InvalidArgumentError(`Expected \`options.locks\` to be a KeyedMutex, got ${describeValue(locks)}.`);
  }
  if (typeof retryAfterSeconds !== 'number' || !(retryAfterSeconds >= 0)) {
    throw new InvalidArgumentError(
      `Expected \`options.retryAfterSeconds\` to be a non-negative number, got ${describeValue(retryAfterSeconds)}.`,
    );
  }
  if (onRejected !== undefined) expectFunction('options.onRejected', onRejected);
  const reject = onRejected ?? answerUnavailable(retryAfterSeconds);
  let releasedEarly = 0;
  let abandonedAfterGrant = 0;

  /**
   * Acquires the request's key, then calls `proceed` with the lease and a
   * `release` to call exactly once; answers or forwards every failure.
   */
  function lockThen(
    req: Request,
    res: Response,
    next: NextFunction,
    proceed: (lease: Lease, release: () => void, key: string) => void,
  ) {
    let key: string;
    try {
      key = keyOf(req);
      if (typeof key !== 'string') {
        throw new InvalidArgumentError(`Expected the lock key of a request to be a string, got ${describeValue(key)}.`);
      }
    } catch (error) {
      return next(error);
    }
    if (holds(req, locks, key)) return next(new ReentrantLockError(key));
    const leaving = new AbortController();
    const leave = () => leaving.abort(new ResponseClosedError());
    if (res.closed) leave();
    else res.once('close', leave);

    locks.acquire(key, { signal: leaving.signal, timeoutMs, maxQueue }).then(
      (lease) => {
        res.off('close', leave);
        // The client may have gone between the grant and now: a 'close'
        // listener added from here would never fire, and the lock would be
        // held forever.
        if (res.closed) {
          abandonedAfterGrant += 1;
          settleRelease(lease);
          return;
        }
        const held = heldByRequest.get(req) ?? [];
        const entry = { locks, key };
        held.push(entry);
        heldByRequest.set(req, held);
        signals.set(req, lease.signal);
        proceed(
          lease,
          () => {
            held.splice(held.indexOf(entry), 1);
            settleRelease(lease);
          },
          key,
        );
      },
      (error: unknown) => {
        res.off('close', leave);
        if (error instanceof LockAbortedError && leaving.signal.aborted) return;
        if (isRejection(error)) reject(error, req, res, next);
        else next(error);
      },
    );
  }

  const middleware = (req: Request, res: Response, next: NextFunction) =>
    lockThen(req, res, next, (lease, release, key) => {
      onResponseClosed(res, () => {
        if (!res.writableFinished) {
          releasedEarly += 1;
          abortLease(lease, new LockReleasedEarlyError(key));
        }
        release();
      });
      runHoldingLease(lease, () => next());
    });

  const wrap: LockMiddleware['wrap'] = (handler) => {
    expectFunction('handler', handler);
    return (req, res, next) =>
      lockThen(req, res, next, (lease, release) => {
        let pending = 2;
        const done = () => {
          pending -= 1;
          if (pending === 0) release();
        };
        onResponseClosed(res, () => {
          if (!res.writableFinished) abortLease(lease, new ResponseClosedError());
          done();
        });
        new Promise((resolve) => resolve(runHoldingLease(lease, () => handler(req, res, next)))).then(done, (error) => {
          done();
          next(error);
        });
      });
  };

  // defineProperties, not Object.assign, which would read `stats` once and copy a frozen snapshot.
  return Object.defineProperties(middleware, {
    wrap: { value: wrap },
    stats: {
      get(): LockMiddlewareStats {
        const stats = locks.stats;
        return { ...stats, abandoned: stats.abandoned + abandonedAfterGrant, releasedEarly };
      },
    },
  }) as LockMiddleware;
}

function runHoldingLease<R>(lease: Lease, fn: () => R): R {
  const token = leaseToken(lease);
  return token === undefined ? fn() : runHolding(token, fn);
}

/** Releases without a caller left to tell: a failed remote release becomes a process warning. */
function settleRelease(lease: Lease): void {
  lease.release().catch((error: Error) => process.emitWarning(error));
}

function isRejection(error: unknown): error is LockError {
  return (
    error instanceof LockTimeoutError || error instanceof LockQueueFullError || error instanceof LockUnavailableError
  );
}

function answerUnavailable(retryAfterSeconds: number) {
  return (error: LockError, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    res.statusCode = 503;
    res.setHeader('Retry-After', String(retryAfterSeconds));
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`${error.message}\n`);
  };
}
