import type { LockError } from '../lock/errors.js';
import type { KeyedMutex } from '../lock/keyed-mutex.js';
import { abortLease, type Lease, releaseQuietly } from '../lock/lease.js';
import { type HeldMark, ResponseClosedError, unmarkHeld } from './lock-marks.js';
import type { Production } from './production.js';
import type { RequestEnd } from './watched-request.js';

/** What a framework adapter lets the lock do with one request. */
export interface LockHooks {
  /**
   * Runs the rest of the request while the lock is held. Returns a promise
   * that settles when the handler is done, where the framework can tell
   * (the adapter handles its rejection; the lock only watches it settle), or
   * anything else where it cannot.
   */
  proceed(): unknown;
  /** Answers a request that did not get the lock: timeout, full queue, backend down. */
  reject(error: LockError): void;
  /** Passes on an error the request cannot recover from: a bad key, a lock it already holds. */
  fail(error: unknown): void;
  /**
   * Called when the client left while the request waited: it never runs and
   * nobody reads an answer. Lets a framework whose middleware returns a
   * promise settle it, so the middleware before it resume and end.
   */
  left?(): void;
  /**
   * Called when the handler is done after its client hung up, before the
   * lock's release is decided: where the framework still writes the response
   * after the handler (a body it pipes, a send after its hooks), tell
   * `production`, so the lock is held until that is over too.
   */
  followUp?(production: Production): void;
}

/** One request's part in the lock protocol, whatever server it came through. */
export interface LockParticipant {
  /** The request queues: its signal to leave the queue when the client does. */
  waiting(): AbortController;
  /** The lock is its: run the rest of the request, unless its client is gone. */
  granted(lease: Lease, hooks: LockHooks): void;
  /** The handler is done, or will never run. */
  handlerDone(): void;
}

/** The `RequestLock` a request is part of: its locks, and its counters of how holders ended. */
export interface OwningLock {
  readonly settings: { readonly locks: KeyedMutex };
  count(end: RequestEnd | 'granted-after-disconnect'): void;
}

/**
 * A grant that reached a request whose client left, or whose work ended,
 * while the grant was on its way: the request never starts (a listener added
 * now would never be called), the lock is released at once, and the request
 * settles as one that left the queue, so the middleware before the lock resumes.
 */
export function refuseLateGrant(lock: OwningLock, lease: Lease, hooks: LockHooks): void {
  lock.count('granted-after-disconnect');
  releaseQuietly(lease);
  hooks.left?.();
}

/**
 * The client of a request that waits for or holds a lock hung up. Still
 * queued (or never granted), the request leaves the queue through `leaving`
 * and is done, since no handler will run; a holder's lease is aborted, so
 * its signal tells the handler.
 */
export function leaveOnDisconnect(
  lease: Lease | undefined,
  leaving: AbortController | undefined,
  participant: Pick<LockParticipant, 'handlerDone'>,
): void {
  if (lease === undefined) {
    leaving?.abort(new ResponseClosedError());
    participant.handlerDone();
  } else abortLease(lease, new ResponseClosedError());
}

/** What a handler that outlived `abandonedHoldMs` had not done, and what it should do. */
const FIX = { 'ended the response': 'End the response', returned: 'Return' } as const;

/**
 * Releases a holder's lease at the end of its request, once, and counts how
 * it ended. Released by `abandonedHoldMs`, the next request may run beside
 * a handler still working: a process warning says so, and what to do.
 */
export function releaseAtEnd(
  lock: OwningLock,
  holder: object,
  mark: HeldMark & { readonly lease: Lease },
  end: RequestEnd,
  abandonedHoldMs: number,
  handlerNotDone: keyof typeof FIX,
): void {
  const { lease } = mark;
  unmarkHeld(holder, mark);
  lock.count(end);
  if (end === 'abandoned') {
    process.emitWarning(
      `Released lock \`${lease.key}\` ${abandonedHoldMs} ms after its client hung up, while the handler had not ` +
        `${handlerNotDone}: the next request may run beside it. ${FIX[handlerNotDone]} when the lock's signal ` +
        'aborts, or raise `abandonedHoldMs`.',
      { code: 'CURRENT_ATTRIBUTES_LOCK_ABANDONED' },
    );
  }
  releaseQuietly(lease);
}
