import type { IncomingMessage } from 'node:http';
import { CurrentAttributesError } from '../core/errors.js';
import type { KeyedMutex } from '../lock/keyed-mutex.js';
import type { Lease } from '../lock/lease.js';

/**
 * The reason of a lock holder's signal when its client hung up before the
 * response was complete: nobody waits for the answer any more. The lock is
 * still held until the handler ends the response (or its promise settles,
 * with `lock.wrap`), so stopping the work early is what frees the lock early.
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
    super(
      'The client hung up before the response was complete. The lock is held until the handler ends the ' +
        'response or returns: stop the work on this signal and end the response to let the next request in.',
    );
  }
}

/**
 * One lock a request holds through a lock middleware, linked to the one it
 * took before: the request's own part in the lock protocol is the mark, so
 * marking costs one WeakMap entry and nothing else.
 */
export interface HeldMark {
  readonly locks: KeyedMutex;
  readonly lease: Lease | undefined;
  previous: HeldMark | undefined;
}

/** Per request, the newest lock it holds through a lock middleware. */
const marks = new WeakMap<object, HeldMark>();

/** Whether `req` holds `key` of `locks` through a lock middleware, so a second middleware on it would wait for itself. */
export function holds(req: object, locks: KeyedMutex, key: string): boolean {
  for (let mark = marks.get(req); mark !== undefined; mark = mark.previous) {
    if (mark.locks === locks && mark.lease?.key === key) return true;
  }
  return false;
}

/** Marks `req` as holding `mark`'s lease, the newest of its locks. */
export function markHeld(req: object, mark: HeldMark): void {
  mark.previous = marks.get(req);
  marks.set(req, mark);
}

/** Takes `mark` off `req`'s locks, wherever it is among them. */
export function unmarkHeld(req: object, mark: HeldMark): void {
  const newest = marks.get(req);
  if (newest === mark) {
    if (mark.previous === undefined) marks.delete(req);
    else marks.set(req, mark.previous);
    return;
  }
  for (let later = newest; later !== undefined; later = later.previous) {
    if (later.previous === mark) {
      later.previous = mark.previous;
      return;
    }
  }
}

/**
 * The signal of the lock a lock middleware holds for `req`: aborted with
 * `ResponseClosedError` when the client hangs up before the response is
 * complete, or with `LockLostError` when a remote lease lapses. `undefined`
 * before a lock middleware has granted it.
 *
 * @example
 * ```ts
 * app.post('/import', globalLock(), async (req, res) => {
 *   await importRows(req.body, { signal: lockSignal(req) });
 *   res.end();
 * });
 * ```
 */
export function lockSignal(req: IncomingMessage): AbortSignal | undefined {
  return marks.get(req)?.lease?.signal;
}

/** The signal of the newest lock held for `holder`: Node's request, or a web-standard `Request`. */
export function signalHeldFor(holder: object): AbortSignal | undefined {
  return marks.get(holder)?.lease?.signal;
}
