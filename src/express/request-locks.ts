import type { Request } from 'express';
import { CurrentAttributesError } from '../errors.js';
import type { KeyedMutex } from '../lock/keyed-mutex.js';

/**
 * The reason of the holder's signal, in `wrap`, when the client hung up
 * before the handler finished: nobody waits for the answer, but the lock is
 * held until the handler settles.
 *
 * @example
 * ```ts
 * app.get('/export', lock.wrap(async (req, res) => {
 *   for await (const row of rows()) lockSignal(req)?.throwIfAborted(); // ResponseClosedError
 * }));
 * ```
 */
export class ResponseClosedError extends CurrentAttributesError {
  override name = 'ResponseClosedError';

  constructor() {
    super('The response closed before the handler finished (the client hung up). Stop the work on this signal.');
  }
}

/** The signal of the lock each request holds, for `lockSignal`. */
export const signals = new WeakMap<Request, AbortSignal>();

/**
 * The locks each in-flight request holds through a lock middleware, so a
 * second middleware on the same key answers `ReentrantLockError` instead of
 * waiting for the request itself, with or without `currentMiddleware`.
 */
export const heldByRequest = new WeakMap<Request, Array<{ locks: KeyedMutex; key: string }>>();

/** Whether `req` holds `key` of `locks` through a lock middleware. */
export function holds(req: Request, locks: KeyedMutex, key: string): boolean {
  return heldByRequest.get(req)?.some((held) => held.locks === locks && held.key === key) ?? false;
}

/**
 * The signal of the lock a lock middleware holds for `req`: aborted when the
 * lock is lost or given up because the response closed. `undefined` before
 * a lock middleware has granted it.
 *
 * @example
 * ```ts
 * app.post('/import', globalLock(), async (req, res) => {
 *   await importRows(req.body, { signal: lockSignal(req) });
 *   res.end();
 * });
 * ```
 */
export function lockSignal(req: Request): AbortSignal | undefined {
  return signals.get(req);
}
