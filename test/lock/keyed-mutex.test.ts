import { InvalidArgumentError } from 'current-attributes';
import {
  KeyedMutex,
  LockAbortedError,
  LockQueueFullError,
  LockTimeoutError,
  Mutex,
  ReentrantLockError,
  withLock,
} from 'current-attributes/lock';
import { createDeferred } from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';
import { abortLease } from '../../src/lock/lease.js';
import { Current } from '../support/fixtures.js';

/** Lets the microtask and timer queues run, so every waiting acquisition has had its chance. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedMutex', () => {
  test('grants one key to waiters in the order they asked', async () => {
    const locks = new KeyedMutex();
    const first = await locks.acquire('k');
    const order: number[] = [];
    const waiting = [1, 2, 3].map(async (n) => {
      const lease = await locks.acquire('k');
      order.push(n);
      return lease;
    });
    await settle();
    expect(order).toEqual([]);
    await first.release();
    for (const next of waiting) await (await next).release();
    expect(order).toEqual([1, 2, 3]);
  });

  test('never lets two holders of a key overlap, however many contend', async () => {
    const locks = new KeyedMutex();
    let inside = 0;
    let mostInside = 0;
    await Promise.all(
      Array.from({ length: 50 }, () =>
        locks.withLock('k', async () => {
          inside += 1;
          mostInside = Math.max(mostInside, inside);
          await settle();
          inside -= 1;
        }),
      ),
    );
    expect(mostInside).toBe(1);
  });

  test('lets different keys run at the same time', async () => {
    const locks = new KeyedMutex();
    const a = await locks.acquire('a');
    const b = await locks.acquire('b');
    expect(locks.stats.active).toBe(2);
    await Promise.all([a.release(), b.release()]);
  });

  test('deletes idle keys, so the map does not grow with every key ever used', async () => {
    const locks = new KeyedMutex();
    await Promise.all(Array.from({ length: 100 }, (_, i) => locks.withLock(`key-${i % 10}`, settle)));
    expect(locks.stats).toMatchObject({ keys: 0, active: 0, queued: 0, acquired: 100 });
  });

  test('times a waiter out, and takes it out of the queue at once, while the holder still holds', async () => {
    const locks = new KeyedMutex();
    const holder = await locks.acquire('k');
    const waiter = locks.acquire('k', { timeoutMs: 20 });
    expect(locks.stats.queued).toBe(1);
    await expect(waiter).rejects.toThrow(LockTimeoutError);
    await expect(waiter).rejects.toThrow('Timed out after 20 ms waiting for lock `k`.');
    expect(locks.stats).toMatchObject({ queued: 0, active: 1, timedOut: 1 });
    await holder.release();
    expect(locks.stats.keys).toBe(0);
  });

  test('turns a waiter away when maxQueue are already waiting', async () => {
    const locks = new KeyedMutex({ maxQueue: 1 });
    const holder = await locks.acquire('k');
    const queued = locks.acquire('k');
    await expect(locks.acquire('k')).rejects.toThrow(LockQueueFullError);
    expect(locks.stats).toMatchObject({ rejected: 1, queued: 1 });
    await holder.release();
    await (await queued).release();
  });

  test('lets a waiter whose signal aborts leave the queue, and grants the next one', async () => {
    const locks = new KeyedMutex();
    const holder = await locks.acquire('k');
    const controller = new AbortController();
    const leaving = locks.acquire('k', { signal: controller.signal });
    const staying = locks.acquire('k');
    controller.abort();
    await expect(leaving).rejects.toThrow(LockAbortedError);
    expect(locks.stats).toMatchObject({ abandoned: 1, queued: 1 });
    await holder.release();
    await (await staying).release();
    await expect(locks.acquire('k', { signal: AbortSignal.abort() })).rejects.toThrow(LockAbortedError);
  });

  test('releases when the function throws, and releasing twice does nothing', async () => {
    const locks = new KeyedMutex();
    await expect(
      locks.withLock('k', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(locks.isLocked('k')).toBe(false);
    const lease = await locks.acquire('k');
    await lease.release();
    const other = await locks.acquire('k');
    await lease.release();
    expect(locks.isLocked('k')).toBe(true);
    await other.release();
  });

  test('counts the time granted acquisitions waited', async () => {
    const locks = new KeyedMutex();
    const holder = await locks.acquire('k');
    const waiter = locks.acquire('k');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await holder.release();
    await (await waiter).release();
    const { acquired, waitedMs, maxWaitMs } = locks.stats;
    expect(acquired).toBe(2);
    expect(maxWaitMs).toBeGreaterThan(0);
    expect(waitedMs).toBeGreaterThanOrEqual(maxWaitMs);
  });

  test('refuses a timeoutMs longer than Node timers can wait, and waits forever with Infinity', async () => {
    // Node fires a timer of more than 2^31-1 ms after 1 ms instead.
    expect(() => new KeyedMutex({ timeoutMs: 2 ** 31 })).toThrow(
      'Expected `timeoutMs` to be at most 2147483647 ms (about 24.8 days, the longest timer Node can set), or Infinity to wait forever, got `2147483648` (number).',
    );
    const locks = new KeyedMutex();
    const holder = await locks.acquire('k');
    await expect(locks.acquire('k', { timeoutMs: 2 ** 31 })).rejects.toThrow(InvalidArgumentError);
    const forever = locks.acquire('k', { timeoutMs: Number.POSITIVE_INFINITY });
    await settle();
    expect(locks.stats).toMatchObject({ queued: 1, timedOut: 0 });
    await holder.release();
    await (await forever).release();
  });

  test('gives a lease aborted before anyone read its signal a signal aborted with that reason', async () => {
    const locks = new KeyedMutex();
    const lease = await locks.acquire('k');
    const reason = new Error('given up');
    abortLease(lease, reason);
    expect(lease.signal.aborted).toBe(true);
    expect(lease.signal.reason).toBe(reason);
    await lease.release();
  });

  test('rejects bad arguments with a message that names them', async () => {
    expect(() => new KeyedMutex({ timeoutMs: -1 })).toThrow(
      'Expected `timeoutMs` to be a positive number, got `-1` (number).',
    );
    expect(() => new KeyedMutex({ maxQueue: 1.5 })).toThrow(InvalidArgumentError);
    await expect(new KeyedMutex().acquire(42 as never)).rejects.toThrow(
      'Expected `key` to be a string, got `42` (number).',
    );
    await expect(new KeyedMutex().withLock('k', 'fn' as never)).rejects.toThrow(InvalidArgumentError);
  });
});

describe('reentrant acquisition', () => {
  test('inside a scope, is an error that says so instead of a deadlock', async () => {
    const locks = new KeyedMutex();
    await Current.run(async () => {
      const nested = locks.withLock('k', () => locks.withLock('k', () => 'never'));
      await expect(nested).rejects.toThrow(ReentrantLockError);
      await expect(nested).rejects.toThrow('Lock `k` is already held by this request');
    });
    expect(locks.stats.keys).toBe(0);
  });

  test('is still detected inside Current.set and a nested Current.run within the critical section', async () => {
    const locks = new KeyedMutex();
    await Current.run(() =>
      locks.withLock('k', async () => {
        await expect(Current.set({ locale: 'fr' }, () => locks.withLock('k', () => 1))).rejects.toThrow(
          ReentrantLockError,
        );
        await expect(Current.run(() => locks.withLock('k', () => 1))).rejects.toThrow(ReentrantLockError);
      }),
    );
  });

  test('is not confused with siblings of one request, which wait their turn', async () => {
    const locks = new KeyedMutex();
    const results = await Current.run(() =>
      Promise.all([locks.withLock('k', () => 1), locks.withLock('k', () => 2), locks.withLock('other', () => 3)]),
    );
    expect(results).toEqual([1, 2, 3]);
  });

  test('lets background work of a finished critical section wait like anyone else, also when the key went straight to the next holder', async () => {
    const locks = new KeyedMutex();
    const sectionEnded = createDeferred();
    const nextHolds = createDeferred();
    let background: Promise<string> | undefined;
    const first = Current.run(() =>
      locks.withLock('k', () => {
        // Not awaited: it asks for the key after this section has ended.
        background = sectionEnded.promise.then(() => locks.withLock('k', () => 'background ran'));
      }),
    );
    const next = Current.run(() => locks.withLock('k', () => nextHolds.promise));
    await first;
    expect(locks.stats).toMatchObject({ active: 1, queued: 0 });
    sectionEnded.resolve();
    await settle();
    expect(locks.stats.queued).toBe(1);
    nextHolds.resolve();
    await next;
    expect(await background).toBe('background ran');
  });

  test('outside any scope, is not detected: it waits, and only a timeout ends it', async () => {
    const locks = new KeyedMutex();
    const nested = locks.withLock('k', () => locks.withLock('k', () => 'never', { timeoutMs: 30 }));
    await expect(nested).rejects.toThrow(LockTimeoutError);
  });
});

describe('the waiter resumes in its own async context', () => {
  /**
   * The shape of express-queue and async-lock: the releaser calls the next
   * waiter's callback itself, so the waiter runs in the releaser's context.
   */
  function callbackLock() {
    const waiting: Array<() => void> = [];
    let held = false;
    return {
      acquire(then: () => void) {
        if (held) waiting.push(then);
        else {
          held = true;
          then();
        }
      },
      release() {
        const next = waiting.shift();
        if (next) next();
        else held = false;
      },
    };
  }

  async function localesSeenByWaiters(lockAndRead: (locale: string) => Promise<string>) {
    return Promise.all(
      ['fr', 'de', 'es', 'it'].map((locale) =>
        Current.run(() => {
          Current.locale = locale;
          return lockAndRead(locale);
        }),
      ),
    );
  }

  test('a lock that calls the next waiter from the releaser runs it in the wrong request', async () => {
    const lock = callbackLock();
    const seen = await localesSeenByWaiters(
      () =>
        new Promise((resolve) =>
          lock.acquire(() => {
            const locale = Current.locale;
            setImmediate(() => {
              lock.release();
              resolve(locale);
            });
          }),
        ),
    );
    // The second waiter runs in the first request's scope; the later ones in
    // that scope too, after it ended and was reset: none sees its own locale.
    expect(seen).toEqual(['fr', 'fr', 'en', 'en']);
  });

  test('KeyedMutex hands over by resolving the promise the waiter awaits', async () => {
    const locks = new KeyedMutex();
    const seen = await localesSeenByWaiters(() =>
      locks.withLock('k', async () => {
        await settle();
        return Current.locale;
      }),
    );
    expect(seen).toEqual(['fr', 'de', 'es', 'it']);
  });
});

describe('Mutex and withLock', () => {
  test('Mutex is a KeyedMutex with a single key', async () => {
    const mutex = new Mutex();
    const held = createDeferred();
    const first = mutex.withLock(() => held.promise);
    await settle();
    expect(mutex.isLocked).toBe(true);
    const second = mutex.withLock(() => 'second');
    expect(mutex.stats.queued).toBe(1);
    held.resolve();
    await first;
    expect(await second).toBe('second');
    expect(mutex.isLocked).toBe(false);
  });

  test('withLock serializes one key across callers of the process-wide locks, or of the ones passed in', async () => {
    const order: string[] = [];
    const gate = createDeferred();
    const first = withLock('shared', async () => {
      await gate.promise;
      order.push('first');
    });
    const second = withLock('shared', () => {
      order.push('second');
    });
    await settle();
    gate.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);

    const locks = new KeyedMutex();
    await withLock('mine', () => expect(locks.isLocked('mine')).toBe(true), { locks });
  });
});
