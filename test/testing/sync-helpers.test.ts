import { InvalidArgumentError } from 'current-attributes';
import { createBarrier, createDeferred, createLatch, RaceTimeoutError } from 'current-attributes/testing';
import { describe, expect, test, vi } from 'vitest';

describe('createBarrier', () => {
  test('holds every party until the last arrives, then releases them all', async () => {
    const barrier = createBarrier(3);
    const order: string[] = [];
    const parties = [1, 2, 3].map(async (n) => {
      order.push(`arrive ${n}`);
      await barrier.arrive();
      order.push(`pass ${n}`);
    });
    await Promise.all(parties);
    expect(order).toEqual(['arrive 1', 'arrive 2', 'arrive 3', 'pass 1', 'pass 2', 'pass 3']);
  });

  test('times out saying how many arrived, even under fake timers', async () => {
    vi.useFakeTimers();
    try {
      const barrier = createBarrier(3, { timeoutMs: 20 });
      const waiting = barrier.arrive();
      await expect(waiting).rejects.toThrow(RaceTimeoutError);
      await expect(waiting).rejects.toThrow('Barrier timed out after 20 ms: 1 of 3 parties arrived.');
    } finally {
      vi.useRealTimers();
    }
  });

  test('refuses a party more than it was made for', async () => {
    const barrier = createBarrier(1);
    await barrier.arrive();
    await expect(barrier.arrive()).rejects.toThrow('create a new barrier for each round');
    expect(() => createBarrier(0)).toThrow(InvalidArgumentError);
  });
});

describe('createLatch', () => {
  test('opens after count count-downs without making them wait', async () => {
    const latch = createLatch(2);
    let opened = false;
    const waiting = latch.wait().then(() => {
      opened = true;
    });
    latch.countDown();
    await Promise.resolve();
    expect(opened).toBe(false);
    latch.countDown();
    await waiting;
    expect(opened).toBe(true);
    expect(latch.remaining).toBe(0);
  });

  test('times out saying how many count-downs are missing', async () => {
    await expect(createLatch(2).wait({ timeoutMs: 10 })).rejects.toThrow(
      'Latch timed out after 10 ms with 2 of 2 count-downs missing.',
    );
  });
});

describe('createDeferred', () => {
  test('settles from outside and says that it did', async () => {
    const deferred = createDeferred<number>();
    expect(deferred.settled).toBe(false);
    deferred.resolve(7);
    expect(deferred.settled).toBe(true);
    expect(await deferred.promise).toBe(7);
  });
});

describe('timeouts of the sync helpers', () => {
  test('latch.wait refuses a timeout that is not a positive number', async () => {
    await expect(createLatch(1).wait({ timeoutMs: -1 })).rejects.toThrow(
      new InvalidArgumentError('Expected `timeoutMs` to be a positive number, got `-1` (number).'),
    );
  });

  test('refuse a timeout longer than a timer can wait, which Node would cut to 1 ms', async () => {
    const message =
      'Expected `timeoutMs` to be at most 2147483647 (the longest a timer can wait), got `Infinity` (number).';
    expect(() => createBarrier(2, { timeoutMs: Number.POSITIVE_INFINITY })).toThrow(new InvalidArgumentError(message));
    await expect(createLatch(1).wait({ timeoutMs: Number.POSITIVE_INFINITY })).rejects.toThrow(
      new InvalidArgumentError(message),
    );
  });
});
