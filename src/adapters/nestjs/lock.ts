import type { ServerResponse } from 'node:http';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectOptions } from '../../core/options.js';
import { expectFunction } from '../../core/validate.js';
import { isRejection, type LockError } from '../../lock/errors.js';
import { KeyedMutex } from '../../lock/keyed-mutex.js';
import { lockOptionNames, type RequestLockOptions } from '../../request/lock-settings.js';
import type { RequestLockStats } from '../../request/request-lock.js';
import { keyedLock as expressLock } from '../express/lock-middleware.js';
import { keyedLock as fastifyLock } from '../fastify/lock.js';
import { common, rxjs } from './peers.js';
import type { NestHttpRequest } from './scope-options.js';

/** Options of `Lock`: the other adapters' lock options, and the key. */
export interface NestLockOptions<Request extends NestHttpRequest = NestHttpRequest> extends RequestLockOptions {
  /**
   * The key to lock for a request, from the platform's request (Express's
   * `req`, Fastify's `request`): `(request) => \`account:${request.params.id}\``.
   * It runs after guards, so it can read what they set on `Current`.
   * Default: one key, so one request at a time through this lock.
   */
  readonly key?: (request: Request) => string;
}

/**
 * Answers a request that did not get its lock in time (`timeoutMs`), or found
 * the queue full (`maxQueue`), or whose lock backend is down: `503 Service
 * Unavailable` through Nest's exception layer, with the `Retry-After` header
 * already on the response. `cause` is the lock's error.
 *
 * @example
 * ```ts
 * @Catch(LockUnavailableException)
 * export class BusyFilter implements ExceptionFilter {
 *   catch(exception: LockUnavailableException, host: ArgumentsHost) {
 *     host.switchToHttp().getResponse<Response>().status(503).json({ retryIn: exception.retryAfterSeconds });
 *   }
 * }
 * ```
 */
export class LockUnavailableException extends common.ServiceUnavailableException {
  constructor(
    readonly lockError: LockError,
    readonly retryAfterSeconds: number,
  ) {
    super(lockError.message, { cause: lockError });
  }
}

/** A lock for a Nest route: a method or controller decorator, with the lock's counters. */
export interface NestLock extends MethodDecorator, ClassDecorator {
  readonly stats: RequestLockStats;
}

type Proceed = (error?: unknown) => void;

/** What `Lock()` takes: the request lock's options and `key`; a refusal goes to Nest's exception filters, so no `onRejected`. */
const NEST_LOCK_OPTIONS = lockOptionNames<NestLockOptions>({ key: true });

/**
 * Rack::Lock for Nest routes, as an interceptor: `@Lock()` on a handler (or a
 * controller) lets one request at a time through, `@Lock({ key })` one per
 * key. The lock is taken after guards, before pipes and the handler, and
 * released exactly once, when the response is complete, with the
 * guarantees of the Express and Fastify locks underneath: a request whose
 * client left while it queued never runs, a holder whose client hung up
 * keeps the lock until its handler ends the response (at most
 * `abandonedHoldMs`), and `lockSignal(req)` (`request.raw` on Fastify) aborts then. A timeout or a
 * full queue throws `LockUnavailableException` (503, `Retry-After`) through
 * your exception filters. Each call of `Lock` is one lock: call it once and
 * put the result on several routes to share it.
 *
 * HTTP only. On Fastify, `CurrentModule.forRoot()` lets it follow the handler to its end after a hang-up.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or range, or is not one it takes.
 * @example
 * ```ts
 * const perAccount = Lock({ key: (request) => `account:${Current.account}`, timeoutMs: 5000 });
 *
 * @Post('deposit')
 * @perAccount
 * deposit(@Body() body: Deposit) { return this.accounts.deposit(body); }
 * ```
 */
export function Lock<Request extends NestHttpRequest = NestHttpRequest>(
  options: NestLockOptions<Request> = {},
): NestLock {
  expectOptions(options, NEST_LOCK_OPTIONS, 'Lock()');
  const { key = () => 'global', locks = new KeyedMutex(), ...rest } = options;
  expectFunction('options.key', key);
  const keyOf = key as (request: unknown) => string;
  // The lock of each platform, on the same locks: an app uses one of the two.
  const express = expressLock({ ...rest, locks, key: keyOf, onRejected: (error, _req, _res, next) => next(error) });
  const fastify = fastifyLock({
    ...rest,
    locks,
    key: keyOf,
    onRejected: (error) => {
      throw error;
    },
  });
  let used: { readonly stats: RequestLockStats } = express;

  const take = (context: ExecutionContext, proceed: Proceed) => {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { raw?: unknown }>();
    if (request.raw !== undefined) {
      used = fastify;
      const reply = http.getResponse<FastifyReply>();
      const done = (error?: unknown) => {
        // A client that left while queued: the Fastify lock hijacks the reply and calls done()
        // so Fastify skips the route; here that means the handler must not run either.
        if (error === undefined && reply.sent) return;
        proceed(error);
      };
      fastify(request as unknown as FastifyRequest, reply, done as never);
    } else {
      used = express;
      express(request as unknown as ExpressRequest, http.getResponse<ExpressResponse>(), proceed);
    }
  };
  // Checked by the locks above: a whole number of seconds.
  const retryAfterSeconds = rest.retryAfterSeconds ?? 1;

  const interceptor: NestInterceptor = {
    intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
      if (context.getType() !== 'http') {
        throw new InvalidArgumentError(
          `@Lock() guards HTTP handlers, but this handler runs for \`${context.getType()}\`: ` +
            'take a KeyedMutex inside the handler instead (locks.withLock(key, fn)).',
        );
      }
      return new rxjs.Observable((subscriber) => {
        let inner: { unsubscribe(): void } | undefined;
        let closed = false;
        take(context, (error) => {
          if (closed) return;
          if (error === undefined) {
            inner = next.handle().subscribe(subscriber);
            return;
          }
          if (isRejection(error)) {
            setRetryAfter(context, String(retryAfterSeconds));
            subscriber.error(new LockUnavailableException(error, retryAfterSeconds));
          } else subscriber.error(error);
        });
        return () => {
          closed = true;
          inner?.unsubscribe();
        };
      });
    },
  };

  const decorator = common.UseInterceptors(interceptor);
  return Object.defineProperty(decorator, 'stats', { get: () => used.stats }) as NestLock;
}

function setRetryAfter(context: ExecutionContext, seconds: string): void {
  const response = context.switchToHttp().getResponse<ServerResponse | FastifyReply>();
  if ('raw' in response) response.header('Retry-After', seconds);
  else if (!response.headersSent) response.setHeader('Retry-After', seconds);
}
