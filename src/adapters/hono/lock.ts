import type { Context, MiddlewareHandler } from 'hono';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectOptions } from '../../core/options.js';
import { describeValue, expectFunction } from '../../core/validate.js';
import type { LockError } from '../../lock/errors.js';
import { lockAroundNext } from '../../request/lock-around-next.js';
import { lockOptionNames, type RequestLockOptions } from '../../request/lock-settings.js';
import { createRequestLock, type RequestLock, type RequestLockStats } from '../../request/request-lock.js';
import type { WebLockedRequest } from '../../request/web/locked-request.js';
import { followUpHono } from './follow-up.js';
import { nodeObjectsOf, responseAlreadySent } from './node-objects.js';
import { handBack } from './web-request.js';
import { followWholeBodies } from './whole-bodies.js';

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
 * Rack::Lock for Hono, on every runtime Hono runs on: one request at a time
 * through the middleware and handlers after it. Acquired before `next()`;
 * released exactly once, when the response is complete (on @hono/node-server
 * once Node's response closed, elsewhere once the server read the body to its
 * end or cancelled it, or when `next()` settled for a body the runtime sends
 * whole, such as `c.text()`'s), or, if the client hung up first, when `next()`
 * settled (at most `abandonedHoldMs` later). A throw downstream still
 * releases, after `app.onError`'s answer. A request whose client hangs up
 * while it queues never runs. `lockSignal(c)` is the holder's `AbortSignal`.
 * In-process locks serialize one process, or one isolate of workerd: see
 * docs/runtimes.md.
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

  const answer = async (error: LockError, c: Context): Promise<Response> => {
    c.status(503);
    c.header('Retry-After', retryAfter);
    const answered = onRejected === undefined ? undefined : await onRejected(error, c);
    if (answered instanceof Response) return answered;
    if (answered !== undefined) {
      throw new InvalidArgumentError(
        `Expected \`onRejected\` to return a Response, such as \`c.json(...)\`, or nothing, got ${describeValue(answered)}.`,
      );
    }
    return c.text(`${error.message}\n`);
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    const node = nodeObjectsOf(c);
    if (node === undefined) return lockWebRequest(lock, c, next, answer);
    return lockAroundNext(lock, c, node.incoming, node.outgoing, {
      next,
      answer: (error) => answer(error, c),
      // Nobody reads an answer: tell @hono/node-server to write none.
      nothing: responseAlreadySent(),
      followUp: (production) => followUpHono(c, production),
    }) as Promise<Response | undefined>;
  };

  return Object.defineProperty(middleware, 'stats', { get: () => lock.stats }) as HonoLock;
}

/**
 * The lock protocol for a web-standard request: the chain runs while the
 * lock is held, and the lease is released once the Response's body was read
 * or cancelled, or when the chain answered a body sent whole (see `handBack`).
 */
function lockWebRequest(
  lock: RequestLock<Context>,
  c: Context,
  next: () => Promise<void>,
  answer: (error: LockError, c: Context) => Response | Promise<Response>,
): Promise<Response | undefined> {
  followWholeBodies(c);
  return new Promise((resolve, reject) => {
    // Set before any hook below runs: `proceed` only starts the chain, whose end is always a later turn.
    let locked: WebLockedRequest | undefined;
    locked = lock.handleWeb(c, c.req.raw, {
      proceed: () =>
        next().then(
          () => {
            handBack(c, locked as WebLockedRequest);
            resolve(undefined);
          },
          (error: unknown) => {
            locked?.handlerDone();
            reject(error);
          },
        ),
      reject: (error) => {
        new Promise<Response>((answered) => answered(answer(error, c))).then(resolve, reject);
      },
      fail: (error) => {
        locked?.handlerDone();
        reject(error);
      },
      // The client left while it waited: nobody reads the answer.
      left: () => resolve(new Response(null, { status: 499, statusText: 'Client Closed Request' })),
    });
  });
}
