import type { Middleware, ParameterizedContext } from 'koa';
import { expectOptions } from '../../core/options.js';
import { expectFunction } from '../../core/validate.js';
import type { LockError } from '../../lock/errors.js';
import { lockAroundNext } from '../../request/lock-around-next.js';
import { lockOptionNames, type RequestLockOptions } from '../../request/lock-settings.js';
import { createRequestLock, type RequestLockStats } from '../../request/request-lock.js';

/** Options of `globalLock` (and, with `key`, of `keyedLock`) from `current-attributes/koa`. */
export interface KoaLockOptions extends RequestLockOptions {
  /**
   * Answers a request that did not get the lock (timeout, full queue, backend
   * down) as a Koa middleware does: by setting `ctx.status` and `ctx.body`
   * (a returned value other than `undefined` becomes `ctx.body`), or by
   * throwing to Koa's error handling. It runs with `ctx.status` 503 and a
   * `Retry-After` header already set; a body it leaves unset is the error's
   * message, so a hook that only changes the status still answers.
   */
  readonly onRejected?: (error: LockError, ctx: ParameterizedContext) => unknown;
}

/** Options of `keyedLock` from `current-attributes/koa`. */
export interface KoaKeyedLockOptions extends KoaLockOptions {
  /** The key to lock for a request, such as `(ctx) => \`account:${ctx.get('x-account')}\``. */
  readonly key: (ctx: ParameterizedContext) => string;
}

/** A Koa lock middleware, with its counters. */
export interface KoaLock extends Middleware {
  readonly stats: RequestLockStats;
}

const GLOBAL_LOCK_OPTIONS = lockOptionNames<KoaLockOptions>({ onRejected: true });
const KEYED_LOCK_OPTIONS = lockOptionNames<KoaKeyedLockOptions>({ onRejected: true, key: true });

/**
 * Rack::Lock for Koa: one request at a time through the middleware mounted
 * after it. Acquired before `next()`; released exactly once, when the
 * response is complete (Koa writes it after the chain settled), or, if the
 * client hung up first, when `next()` settled (at most `abandonedHoldMs`
 * later). A throw downstream still releases, after Koa's error answer. A
 * request whose client hangs up while it queues never runs: the lock's
 * `next()` is never called and its promise resolves, so the middleware
 * before it resume. `lockSignal(ctx.req)` is the holder's `AbortSignal`.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or range, or is not one it takes.
 * @example
 * ```ts
 * const lock = globalLock({ timeoutMs: 10_000, maxQueue: 100 });
 * app.use(currentMiddleware());
 * app.use(lock);
 * app.use(async (ctx) => { ctx.body = await legacyReport(); });
 * ```
 */
export function globalLock(options: KoaLockOptions = {}): KoaLock {
  expectOptions(options, GLOBAL_LOCK_OPTIONS, 'globalLock()');
  return createKoaLock(() => 'global', options);
}

/**
 * A lock per key for Koa: requests with different keys run at once, requests
 * with one key one at a time. Otherwise as `globalLock`; a key function that
 * throws or returns a non-string goes to Koa's error handling.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or range, or is not one it takes.
 * @example
 * ```ts
 * router.post('/accounts/:id/deposit', keyedLock({ key: (ctx) => `account:${ctx.params.id}` }), deposit);
 * ```
 */
export function keyedLock(options: KoaKeyedLockOptions): KoaLock {
  expectOptions(options, KEYED_LOCK_OPTIONS, 'keyedLock()');
  expectFunction('options.key', options.key);
  return createKoaLock(options.key, options);
}

function createKoaLock(keyOf: (ctx: ParameterizedContext) => string, options: KoaLockOptions): KoaLock {
  const lock = createRequestLock(keyOf, options);
  const { onRejected } = options;
  const retryAfter = String(lock.settings.retryAfterSeconds);

  const middleware: Middleware = (ctx, next) =>
    lockAroundNext(lock, ctx, ctx.req, ctx.res, {
      next,
      answer: async (error) => {
        ctx.status = 503;
        ctx.set('Retry-After', retryAfter);
        if (onRejected !== undefined) {
          const body = await onRejected(error, ctx);
          if (body !== undefined) ctx.body = body;
        }
        if (ctx.body == null) ctx.body = `${error.message}\n`;
      },
      nothing: undefined,
      // Koa pipes a stream body after the chain settled: the lock is held until it stopped.
      followUp: (production) => production.follow(ctx.body),
    });

  return Object.defineProperty(middleware, 'stats', { get: () => lock.stats }) as KoaLock;
}
