import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { expectOptions } from '../../core/options.js';
import { expectFunction } from '../../core/validate.js';
import type { LockError } from '../../lock/errors.js';
import { lockOptionNames, type RequestLockOptions } from '../../request/lock-settings.js';
import { createRequestLock, type RequestLockStats } from '../../request/request-lock.js';
import { scopedRequestOf } from './handler-end.js';

/** Options of `globalLock` (and, with `key`, of `keyedLock`) from `current-attributes/fastify`. */
export interface FastifyLockOptions extends RequestLockOptions {
  /**
   * Answers a request that did not get the lock (timeout, full queue, backend
   * down) as a Fastify handler does: with `reply.send(...)`, or by returning
   * the payload to send; a throw or rejection goes to the error handler. It
   * runs with `reply.code(503)` and a `Retry-After` header already set; when
   * it neither sends nor returns anything, the error's message is sent with
   * the status it left (so `reply.code(429)` alone answers 429).
   */
  readonly onRejected?: (error: LockError, request: FastifyRequest, reply: FastifyReply) => unknown;
}

/** Options of `keyedLock` from `current-attributes/fastify`. */
export interface FastifyKeyedLockOptions extends FastifyLockOptions {
  /** The key to lock for a request, such as `(request) => \`account:${(request.params as { id: string }).id}\``. */
  readonly key: (request: FastifyRequest) => string;
}

/**
 * A lock as a Fastify hook, for a route's `preHandler` (or `onRequest`,
 * `preValidation`) option or `fastify.addHook`, with its counters.
 */
export interface FastifyLock {
  (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
  readonly stats: RequestLockStats;
}

const GLOBAL_LOCK_OPTIONS = lockOptionNames<FastifyLockOptions>({ onRejected: true });
const KEYED_LOCK_OPTIONS = lockOptionNames<FastifyKeyedLockOptions>({ onRejected: true, key: true });

/**
 * Rack::Lock for Fastify, as a hook: one request at a time from the hook on.
 * As a route's `preHandler` (the usual place: the body is parsed and
 * validated before the request queues), it covers the handler, the
 * serialization and `onSend` hooks; as `onRequest`, also body parsing.
 * Released exactly once, when the response is complete, or, if the client
 * hung up first, when the handler ends the response or its promise settles
 * (at most `abandonedHoldMs` later; the promise is followed when
 * `fastifyCurrent` was registered before the route); also when the handler
 * throws, once the error handler's answer is complete. A request whose client hangs up while it
 * queues never runs, and its scope ends at once. `lockSignal(request.raw)` is
 * the holder's `AbortSignal`.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or range, or is not one it takes.
 * @example
 * ```ts
 * const lock = globalLock({ timeoutMs: 10_000, maxQueue: 100 });
 * app.post('/reports', { preHandler: lock }, async () => legacyReport()); // one route
 * app.addHook('preHandler', lock); // or every route of this encapsulation context
 * ```
 */
export function globalLock(options: FastifyLockOptions = {}): FastifyLock {
  expectOptions(options, GLOBAL_LOCK_OPTIONS, 'globalLock()');
  return createFastifyLock(() => 'global', options);
}

/**
 * A lock per key for Fastify, as a hook: requests with different keys run at
 * once, requests with one key one at a time. Otherwise as `globalLock`; a
 * key function that throws or returns a non-string goes to the error handler.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or range, or is not one it takes.
 * @example
 * ```ts
 * const perAccount = keyedLock({ key: (request) => `account:${(request.params as { id: string }).id}` });
 * app.post('/accounts/:id/deposit', { preHandler: perAccount }, deposit);
 * ```
 */
export function keyedLock(options: FastifyKeyedLockOptions): FastifyLock {
  expectOptions(options, KEYED_LOCK_OPTIONS, 'keyedLock()');
  expectFunction('options.key', options.key);
  return createFastifyLock(options.key, options);
}

function createFastifyLock(keyOf: (request: FastifyRequest) => string, options: FastifyLockOptions): FastifyLock {
  const lock = createRequestLock(keyOf, options);
  const { onRejected } = options;
  const retryAfter = String(lock.settings.retryAfterSeconds);

  const hook = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) =>
    lock.handle(request, request.raw, reply.raw, {
      proceed: () => {
        const scoped = scopedRequestOf(request);
        // Settles with the route's handler, when `fastifyCurrent` follows it: the lock's
        // end after a disconnect, as the response's end is before it.
        const handlerSettled = scoped && new Promise<void>((resolve) => scoped.afterHandler(resolve));
        done();
        return handlerSettled;
      },
      // A callback-style hook answers with `reply.send` and never calls `done`.
      reject: (error) => {
        reply.code(503).header('Retry-After', retryAfter);
        if (onRejected === undefined) sendMessage(reply, error);
        else answerWith(onRejected, error, request, reply, done);
      },
      fail: (error) => done(error as Error),
      // The handler never runs: what waits for it (the plugin's scope) is done now, and
      // Fastify's lifecycle ends here: hijacked, the hooks after this one and the handler are skipped.
      left: () => {
        scopedRequestOf(request)?.handlerDone();
        reply.hijack();
        done();
      },
    });

  return Object.defineProperty(hook, 'stats', { get: () => lock.stats }) as FastifyLock;
}

/**
 * Runs `onRejected` the way Fastify runs a handler: a payload it returns is
 * sent (the reply itself, returned after `reply.send`, is not), a throw or
 * rejection goes to the error handler through `done`, and a hook that did
 * neither gets the default message, so a refused request is always answered.
 */
function answerWith(
  onRejected: NonNullable<FastifyLockOptions['onRejected']>,
  error: LockError,
  request: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  // Only a refused request's reply gets this own property, for as long as its hook runs.
  const { send } = reply;
  let sent = false;
  reply.send = function (this: FastifyReply, payload?: unknown) {
    sent = true;
    return send.call(this, payload);
  };
  new Promise((answered) => answered(onRejected(error, request, reply))).then(
    (payload) => {
      Reflect.deleteProperty(reply, 'send');
      if (sent || reply.sent) return;
      if (payload !== undefined && payload !== reply) reply.send(payload);
      else sendMessage(reply, error);
    },
    (thrown: unknown) => {
      Reflect.deleteProperty(reply, 'send');
      done((thrown ?? new Error('onRejected rejected without a reason')) as Error);
    },
  );
}

function sendMessage(reply: FastifyReply, error: LockError): void {
  reply.type('text/plain; charset=utf-8').send(`${error.message}\n`);
}
