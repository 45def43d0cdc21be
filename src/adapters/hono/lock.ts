import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context, MiddlewareHandler } from 'hono';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectOptions } from '../../core/options.js';
import { describeValue, expectFunction } from '../../core/validate.js';
import type { LockError } from '../../lock/errors.js';
import { lockAroundNext } from '../../request/lock-around-next.js';
import { lockOptionNames, type RequestLockOptions } from '../../request/lock-settings.js';
import { createRequestLock, type RequestLockStats } from '../../request/request-lock.js';
import { followUpHono } from './follow-up.js';
import { nodeObjectsOf } from './node-objects.js';

/** Options of `globalLock` (and, with `key`, of `keyedLock`) from `current-attributes/hono`. */
export interface HonoLockOptions extends RequestLockOptions {
  /**
   * Answers a request that did not get the lock (timeout, full queue, backend
   * down) as a Hono handler does: by returning a Response, such as
   * `c.json(...)`, or throwing to `app.onError`. It runs with `c.status(503)`
   * and a `Retry-After` header already set; returning nothing answers with the
   * error's message and the status it left (so `c.status(429)` alone
   * answers 429). Anything else it returns goes to `app.onError` as an
   * `InvalidArgumentError`.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook that answers nothing is written with no return, as `void`.
  readonly onRejected?: (error: LockError, c: Context) => Response | void | Promise<Response | void>;
}

/** Options of `keyedLock` from `current-attributes/hono`. */
export interface HonoKeyedLockOptions extends HonoLockOptions {
  /** The key to lock for a request, such as `(c) => \`account:${c.req.param('id')}\``. */
  readonly key: (c: Context) => string;
}

/** A Hono lock middleware, with its counters. */
export interface HonoLock extends MiddlewareHandler {
  readonly stats: RequestLockStats;
}

const GLOBAL_LOCK_OPTIONS = lockOptionNames<HonoLockOptions>({ onRejected: true });
const KEYED_LOCK_OPTIONS = lockOptionNames<HonoKeyedLockOptions>({ onRejected: true, key: true });

/**
 * Rack::Lock for Hono on @hono/node-server: one request at a time through
 * the middleware and handlers after it. Acquired before `next()`; released
 * exactly once, when the response is complete (written after the chain
 * settled), or, if the client hung up first, when `next()` settled (at most
 * `abandonedHoldMs` later). A throw downstream still releases, after
 * `app.onError`'s answer. A request whose client hangs up while it queues
 * never runs. `lockSignal(c.env.incoming)` is the holder's `AbortSignal`.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or range, or is not one it takes.
 * @example
 * ```ts
 * const lock = globalLock({ timeoutMs: 10_000, maxQueue: 100 });
 * app.use(currentMiddleware());
 * app.use('/reports/*', lock);
 * app.post('/reports/nightly', async (c) => c.text(await legacyReport()));
 * ```
 */
export function globalLock(options: HonoLockOptions = {}): HonoLock {
  expectOptions(options, GLOBAL_LOCK_OPTIONS, 'globalLock()');
  return createHonoLock(() => 'global', options);
}

/**
 * A lock per key for Hono: requests with different keys run at once,
 * requests with one key one at a time. Otherwise as `globalLock`; a key
 * function that throws or returns a non-string goes to `app.onError`.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or range, or is not one it takes.
 * @example
 * ```ts
 * app.post('/accounts/:id/deposit', keyedLock({ key: (c) => `account:${c.req.param('id')}` }), deposit);
 * ```
 */
export function keyedLock(options: HonoKeyedLockOptions): HonoLock {
  expectOptions(options, KEYED_LOCK_OPTIONS, 'keyedLock()');
  expectFunction('options.key', options.key);
  return createHonoLock(options.key, options);
}

function createHonoLock(keyOf: (c: Context) => string, options: HonoLockOptions): HonoLock {
  const lock = createRequestLock(keyOf, options);
  const { onRejected } = options;
  const retryAfter = String(lock.settings.retryAfterSeconds);

  const middleware: MiddlewareHandler = async (c, next) => {
    const { incoming, outgoing } = nodeObjectsOf(c);
    return lockAroundNext(lock, c, incoming, outgoing, {
      next,
      answer: async (error) => {
        c.status(503);
        c.header('Retry-After', retryAfter);
        const answer = onRejected === undefined ? undefined : await onRejected(error, c);
        if (answer instanceof Response) return answer;
        if (answer !== undefined) {
          throw new InvalidArgumentError(
            `Expected \`onRejected\` to return a Response, such as \`c.json(...)\`, or nothing, got ${describeValue(answer)}.`,
          );
        }
        return c.text(`${error.message}\n`);
      },
      // Nobody reads an answer: tell @hono/node-server to write none.
      nothing: RESPONSE_ALREADY_SENT,
      followUp: (production) => followUpHono(c, production),
    }) as Promise<Response | undefined>;
  };

  return Object.defineProperty(middleware, 'stats', { get: () => lock.stats }) as HonoLock;
}
