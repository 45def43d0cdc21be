import { createDeferred, RaceTimeoutError, startTogether } from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';

describe('startTogether', () => {
  test('starts every task only once all are ready, and returns every outcome in order', async () => {
    const started: number[] = [];
    const outcomes = await startTogether(3, async (index) => {
      started.push(index);
      if (index === 1) throw new Error('task 1 failed');
      return index * 10;
    });
    expect(started).toEqual([0, 1, 2]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 0 },
      { status: 'rejected', reason: new Error('task 1 failed') },
      { status: 'fulfilled', value: 20 },
    ]);
  });

  test('fails with the tasks still pending when they do not settle in time', async () => {
    const never = createDeferred<number>();
    const run = startTogether(3, (index) => (index === 2 ? never.promise : index), { timeoutMs: 20 });
    await expect(run).rejects.toThrow(RaceTimeoutError);
    await expect(run).rejects.toThrow('1 of 3 tasks had not settled after 20 ms (tasks 2).');
  });
});
