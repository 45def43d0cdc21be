import type { IncomingMessage, ServerResponse } from 'node:http';
import { expectOptions } from '../../core/options.js';
import { isPromiseLike } from '../../core/scope.js';
import { expectFunction } from '../../core/validate.js';
import type { LockError } from '../../lock/errors.js';
import { answerUnavailable } from '../../request/answer-unavailable.js';
import { lockOptionNames, type RequestLockOptions } from '../../request/lock-settings.js';
import { createRequestLock, type RequestLockStats } from '../../request/request-lock.js';
import type { HttpHandler } from './with-current.js';

/** Options of `globalLock` (and, with `key`, of `keyedLock`) from `current-attributes/http`. */
export interface HttpLockOptions extends RequestLockOptions {
  /**
   * Answers a request that did not get the lock (timeout, full queue, backend
   * down) through `res`; a throw or a rejected promise goes to `onError`.
   * Default: `503` with `Retry-After`.
   */
  readonly onRejected?: (error: LockError, req: IncomingMessage, res: ServerResponse) => unknown;
  /**
   * Answers a request whose lock could not even be asked for: a key function
   * that threw or returned a non-string, a key the request holds already.
   * Default: `500` (or, once headers are sent, the connection destroyed) and a process warning.
   */
  readonly onError?: (error: unknown, req: IncomingMessage, res: ServerResponse) => void;
}

/** Options of `keyedLock` from `current-attributes/http`. */
export interface HttpKeyedLockOptions extends HttpLockOptions {
  /** The key to lock for a request, such as `(req) => new URL(req.url ?? '/', 'http://x').pathname`. */
  readonly key: (req: IncomingMessage) => string;
}

/** A lock for node:http handlers: call it on a handler to run that handler holding the lock. */
export interface HttpLock {
  /**
   * Wraps `handler` so it runs holding the lock, released once when the
   * request is over: the response complete, or, if the client hung up first,
   * the handler's end of the response or its promise settling (at most
   * `abandonedHoldMs` later).
   */
  <Req extends IncomingMessage, Res extends ServerResponse>(handler: HttpHandler<Req, Res>): HttpHandler<Req, Res>;
  /** Like calling the lock, but also holds until the handler's promise settles after a complete response, with no bound. */
  wrap<Req extends IncomingMessage, Res extends ServerResponse>(handler: HttpHandler<Req, Res>): HttpHandler<Req, Res>;
  readonly stats: RequestLockStats;
}

const GLOBAL_LOCK_OPTIONS = lockOptionNames<HttpLockOptions>({ onRejected: true, onError: true });
const KEYED_LOCK_OPTIONS = lockOptionNames<HttpKeyedLockOptions>({ onRejected: true, onError: true, key: true });

/**
 * Rack::Lock for node:http: one request at a time through the handlers it
 * wraps. The wrapped handler's promise resolves with the handler's result
 * (or rejects with its error) once it ran, and resolves at once when the
 * request was answered `503` or its client left while it waited.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or range, or is not one it takes.
 * @example
 * ```ts
 * const lock = globalLock({ timeoutMs: 10_000 });
 * createServer(withCurrent(lock(async (req, res) => {
 *   legacyReport.user = req.headers['x-user']; // module-level state, one request at a time
 *   res.end(await legacyReport.render());
 * })));
 * ```
 */
export function globalLock(options: HttpLockOptions = {}): HttpLock {
  expectOptions(options, GLOBAL_LOCK_OPTIONS, 'globalLock()');
  return createHttpLock(() => 'global', options);
}

/**
 * A lock per key for node:http handlers: requests with different keys run at
 * once, requests with one key one at a time. Otherwise as `globalLock`.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or range, or is not one it takes.
 * @example
 * ```ts
 * const perAccount = keyedLock({ key: (req) => `account:${req.headers['x-account']}` });
 * createServer(withCurrent(perAccount(transfer)));
 * ```
 */
export function keyedLock(options: HttpKeyedLockOptions): HttpLock {
  expectOptions(options, KEYED_LOCK_OPTIONS, 'keyedLock()');
  expectFunction('options.key', options.key);
  return createHttpLock(options.key, options);
}

function createHttpLock(keyOf: (req: IncomingMessage) => string, options: HttpLockOptions): HttpLock {
  const lock = createRequestLock(keyOf, options);
  const { onRejected, onError = answerError } = options;
  expectFunction('options.onError', onError);
  const answer = answerUnavailable(lock.settings.retryAfterSeconds);

  const around =
    (untilHandlerDone: boolean) =>
    <Req extends IncomingMessage, Res extends ServerResponse>(
      handler: HttpHandler<Req, Res>,
    ): HttpHandler<Req, Res> => {
      expectFunction('handler', handler);
      return (req, res) =>
        new Promise((resolve) => {
          const fail = (error: unknown) => {
            try {
              onError(error, req, res);
            } catch (thrown) {
              answerError(thrown, req, res);
            }
            resolve(undefined);
          };
          lock.handle(
            req,
            req,
            res,
            {
              proceed: () => {
                // The caller's promise follows the handler's, a throw included. A plain
                // return says the handler is done only to `wrap`: a callback-style
                // handler returns before its work is.
                let result: unknown;
                try {
                  result = handler(req, res);
                } catch (error) {
                  result = Promise.reject(error);
                }
                if (untilHandlerDone && !isPromiseLike(result)) result = Promise.resolve(result);
                resolve(result);
                return result;
              },
              reject: (error) => {
                if (onRejected === undefined) {
                  if (res.headersSent) res.destroy(error);
                  else answer(error, res);
                  resolve(undefined);
                  return;
                }
                // Called from a promise reaction: a throw would be an unhandled rejection that ends the process.
                new Promise((answered) => answered(onRejected(error, req, res))).then(
                  () => resolve(undefined),
                  (thrown: unknown) => fail(thrown),
                );
              },
              fail,
              left: () => resolve(undefined),
            },
            untilHandlerDone,
          );
        });
    };

  return Object.defineProperties(around(false), {
    wrap: { value: around(true) },
    stats: { get: () => lock.stats },
  }) as HttpLock;
}

function answerError(error: unknown, _req: IncomingMessage, res: ServerResponse): void {
  process.emitWarning(error instanceof Error ? error : String(error));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = 500;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end('Internal Server Error\n');
}
