import { Mutex } from 'current-attributes/lock';
import { assertNoLostUpdates, exploreSchedules, ScheduleFailureError } from 'current-attributes/testing';
import type { Scheduler } from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type CounterStore, increment } from './counter.js';

/** Two increments at once, on a store whose every read and write the scheduler releases in its own order. */
function twoIncrements(run: (store: CounterStore) => Promise<void>) {
  return async (scheduler: Scheduler) => {
    let value = 0;
    const store: CounterStore = {
      read: scheduler.scheduleFunction(async () => value),
      write: scheduler.scheduleFunction(async (next: number) => {
        value = next;
      }),
    };
    await scheduler.waitFor(Promise.all([run(store), run(store)]));
    assertNoLostUpdates({ what: 'the counter', expected: 2, actual: value });
  };
}

describe('exploring interleavings of two increments', () => {
  test('finds the one that loses an update, and replays it from its seed and path', async () => {
    const check = twoIncrements(increment);
    const failure = await exploreSchedules(check).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ScheduleFailureError);
    const { seed, path } = failure as ScheduleFailureError;
    await expect(exploreSchedules(check, { seed, path })).rejects.toThrow('Lost updates to the counter');
  });

  test('finds none when each increment holds a lock', async () => {
    const mutex = new Mutex();
    await expect(exploreSchedules(twoIncrements((store) => mutex.withLock(() => increment(store))))).resolves.toEqual({
      runs: 100,
    });
  });
});
