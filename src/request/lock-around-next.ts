import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LockError } from '../lock/errors.js';
import type { Production } from './production.js';
import type { RequestLock } from './request-lock.js';

/** What a promise-based middleware's lock does with one request: the framework's part. */
export interface AroundNext<Answer> {
  /** Runs the rest of the chain (Koa's and Hono's `next`). */
  readonly next: () => Promise<unknown>;
  /** Answers a request that did not get the lock; may throw, to the framework's error handling. */
  readonly answer: (error: LockError) => Answer | Promise<Answer>;
  /** What the middleware resolves with when the client left while it waited: nothing to answer. */
  readonly nothing: Answer;
  /** What the framework still does for the response after `next()` settled, told when the client left first (see `LockHooks`). */
  readonly followUp?: (production: Production) => void;
}

/**
 * The lock protocol for a framework whose middleware returns a promise and
 * calls `next()` (Koa, Hono): the promise follows `next()` once the lock is
 * held (and the lock follows it to know when the handler is done), resolves
 * with the framework's answer when the lock is refused, and with `nothing`
 * when the client left while it waited, so the middleware before it resume;
 * it rejects with what the request cannot recover from (a bad key, a lock
 * it holds already).
 */
export function lockAroundNext<Subject, Answer>(
  lock: RequestLock<Subject>,
  subject: Subject,
  req: IncomingMessage,
  res: ServerResponse,
  { next, answer, nothing, followUp }: AroundNext<Answer>,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    lock.handle(subject, req, res, {
      followUp,
      proceed: () => {
        const settled = next();
        settled.then(resolve, reject);
        return settled;
      },
      reject: (error) => {
        new Promise<Answer>((answered) => answered(answer(error))).then(resolve, reject);
      },
      fail: reject,
      left: () => resolve(nothing),
    });
  });
}
