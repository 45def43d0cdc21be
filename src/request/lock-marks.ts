import type { IncomingMessage } from 'node:http';
import { CurrentAttributesError } from '../errors.js';
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

/** One lock a request holds through a lock middleware. */
interface Held {
  readonly locks: KeyedMutex;
  readonly key: string;
}

/** Per request: the locks held through lock middlewares, and the lease of the newest. */
interface Marks {
  readonly held: Held[];
  lease: Lease;
}

const marks = new WeakMap<IncomingMessage, Marks>();

/** Whether `req` holds `key` of `locks` through a lock middleware, so a second middleware on it would wait for itself. */
export function holds(req: IncomingMessage, locks: KeyedMutex, key: string): boolean {
  return marks.get(req)?.held.some((held) => held.locks === locks && held.key === key) ?? false;
}

/** Marks `req` as holding `key` of `locks`; returns the function that removes the mark. */
export function markHeld(req: IncomingMessage, locks: KeyedMutex, lease: Lease): () => void {
  const entry: Held = { locks, key: lease.key };
  let requestMarks = marks.get(req);
  if (requestMarks === undefined) {
    requestMarks = { held: [entry], lease };
    marks.set(req, requestMarks);
  } else {
    requestMarks.held.push(entry);
    requestMarks.lease = lease;
  }
  const { held } = requestMarks;
  return () => {
    held.splice(held.indexOf(entry), 1);
  };
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
  return marks.get(req)?.lease.signal;
}
