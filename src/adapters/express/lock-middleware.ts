import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { expectOptions } from '../../core/options.js';
import { isPromiseLike } from '../../core/scope.js';
import { expectFunction } from '../../core/validate.js';
import type { LockError } from '../../lock/errors.js';
import { answerUnavailable } from '../../request/answer-unavailable.js';
import { checkRequestLockOptions, lockOptionNames, type RequestLockOptions } from '../../request/lock-settings.js';
import { RequestLock, type RequestLockStats } from '../../request/request-lock.js';

/** Options of `globalLock` (and, with `key`, of `keyedLock`). */
export interface LockMiddlewareOptions extends RequestLockOptions {
  /**
   * Answers a request that did not get the lock (timeout, full queue, backend
   * down) through `res`, or passes it on with `next(error)`; a throw or a
   * rejected promise goes to `next(error)`. Default: `503` with `Retry-After`.
   */
  readonly onRejected?: (error: LockError, req: Request, res: Response, next: NextFunction) => unknown;
}

/** Options of `keyedLock`. */
export interface KeyedLockOptions extends LockMiddlewareOptions {
  /** The key to lock for a request, such as `(req) => \`account:${req.params.id}\``. */
  readonly key: (req: Request) => string;
}

/** A lock middleware, with its counters and a wrapper that also holds the lock until an async handler settles. */
export interface LockMiddleware extends RequestHandler {
  readonly stats: RequestLockStats;
  /**
   * Wraps a handler so the lock is taken before it runs and released only
   * when the response has closed *and* the handler's promise has settled,
   * however long that takes: also code that runs after the response was
   * sent stays inside the lock.
   */
  wrap(handler: (req: Request, res: Response, next: NextFunction) => unknown): RequestHandler;
}

const GLOBAL_LOCK_OPTIONS = lockOptionNames<LockMiddlewareOptions>({ onRejected: true });
const KEYED_LOCK_OPTIONS = lockOptionNames<KeyedLockOptions>({ onRejected: true, key: true });

/**
 * Middleware that lets one request at a time through a lock per key: FIFO,
 * bounded (`timeoutMs`, `maxQueue`, answered `503` with `Retry-After`),
 * released exactly once when the request is over. See `globalLock` for when
 * that is.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or is not one it takes.
 * @example
 * ```ts
 * app.post('/accounts/:id/transfer', keyedLock({ key: (req) => `account:${req.params.id}` }), transfer);
 * ```
 */
export function keyedLock(options: KeyedLockOptions): LockMiddleware {
  expectOptions(options, KEYED_LOCK_OPTIONS, 'keyedLock()');
  expectFunction('options.key', options.key);
  return createLockMiddleware(options.key, options);
}

/**
 * Rack::Lock for Express: one lock around everything mounted after it, so
 * one request runs at a time. It makes legacy module-level state safe at a
 * measured price (`npm run bench`): fix the state with `Current` instead
 * where you can.
 *
 * Acquired before `next()`; released exactly once, when the response is
 * complete: not when `next` returns, not at `res.end()` alone, after a throw
 * or `next(error)` once the error response is complete, never if it was never
 * acquired. A request whose client hangs up while it queues leaves the queue
 * and never runs. A holder whose client hangs up keeps the lock until its
 * handler ends the response (its signal, `lockSignal(req)`, aborts to say
 * so), at most `abandonedHoldMs`: two requests never run at once unless a
 * handler ignores its client leaving for that long.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or range, or is not one it takes.
 * @example
 * ```ts
 * const lock = globalLock({ timeoutMs: 10_000, maxQueue: 100 });
 * app.use(lock);
 * app.get('/metrics/lock', (req, res) => res.json(lock.stats));
 * ```
 */
export function globalLock(options: LockMiddlewareOptions = {}): LockMiddleware {
  expectOptions(options, GLOBAL_LOCK_OPTIONS, 'globalLock()');
  return createLockMiddleware(() => 'global', options);
}

function createLockMiddleware(keyOf: (req: Request) => string, options: LockMiddlewareOptions): LockMiddleware {
  const settings = checkRequestLockOptions(options);
  const { onRejected } = options;
  if (onRejected !== undefined) expectFunction('options.onRejected', onRejected);
  const answer = answerUnavailable(settings.retryAfterSeconds);
  const lock = new RequestLock(settings, keyOf);

  const hooksFor = (req: Request, res: Response, next: NextFunction, proceed: () => unknown) => ({
    proceed,
    reject: (error: LockError) => {
      if (onRejected !== undefined) callOnRejected(onRejected, error, req, res, next);
      else if (res.headersSent) next(error);
      else answer(error, res);
    },
    fail: next,
  });

  const middleware = (req: Request, res: Response, next: NextFunction) =>
    lock.handle(req, req, res, hooksFor(req, res, next, next));

  const wrap: LockMiddleware['wrap'] = (handler) => {
    expectFunction('handler', handler);
    return (req, res, next) => {
      const proceed = () => {
        const settled = new Promise((resolve) => resolve(handler(req, res, next)));
        settled.catch(next);
        return settled;
      };
      lock.handle(req, req, res, hooksFor(req, res, next, proceed), true);
    };
  };

  // defineProperties, not Object.assign, which would read `stats` once and copy a frozen snapshot.
  return Object.defineProperties(middleware, {
    wrap: { value: wrap },
    stats: { get: () => lock.stats },
  }) as LockMiddleware;
}

/**
 * Calls `onRejected`, whose throw or rejection goes to Express's error
 * handling: it runs in a promise reaction, where a throw would otherwise be
 * an unhandled rejection that ends the process.
 */
function callOnRejected(
  onRejected: NonNullable<LockMiddlewareOptions['onRejected']>,
  error: LockError,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  let result: unknown;
  try {
    result = onRejected(error, req, res, next);
  } catch (thrown) {
    next(thrown ?? new Error('onRejected threw without a reason'));
    return;
  }
  if (isPromiseLike(result)) {
    result.then(undefined, (thrown: unknown) => next(thrown ?? new Error('onRejected rejected without a reason')));
  }
}
