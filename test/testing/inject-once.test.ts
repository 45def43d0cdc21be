import { InvalidArgumentError } from 'current-attributes';
import { KeyedMutex } from 'current-attributes/lock';
import { injectOnce, RaceTimeoutError, withFreshScope } from 'current-attributes/testing';
import { aroundEach, describe, expect, test } from 'vitest';
import { Current } from '../support/fixtures.js';

function repository(log: string[]) {
  return {
    async find(id: number) {
      log.push(`find ${id}`);
      return { id };
    },
    now() {
      log.push('now');
      return 42;
    },
  };
}

describe('injectOnce', () => {
  test("in 'before' mode, runs the action to completion before the first call only", async () => {
    const log: string[] = [];
    const repo = repository(log);
    const injection = injectOnce(repo, 'find', async () => {
      await repo.find(2);
      log.push('action done');
    });
    expect(await repo.find(1)).toEqual({ id: 1 });
    await repo.find(3);
    expect(await injection.done).toBeUndefined();
    expect(injection.injected).toBe(true);
    expect(log).toEqual(['find 2', 'action done', 'find 1', 'find 3']);
  });

  test("in 'start' mode, starts the action and returns the original's result at once, for a synchronous method", async () => {
    const log: string[] = [];
    const repo = repository(log);
    const injection = injectOnce(repo, 'now', () => log.push('action started'), { mode: 'start' });
    expect(repo.now()).toBe(42);
    await injection.done;
    expect(log).toEqual(['action started', 'now']);
  });

  test('puts the method back after the first call, or on restore when it was never called', () => {
    const repo = repository([]);
    const original = repo.now;
    const injection = injectOnce(repo, 'now', () => undefined, { mode: 'start' });
    expect(repo.now).not.toBe(original);
    injection.restore();
    expect(repo.now).toBe(original);
  });

  test('reports an injection that never happened', async () => {
    const injection = injectOnce(repository([]), 'find', () => undefined, { timeoutMs: 10 });
    await expect(injection.done).rejects.toThrow(RaceTimeoutError);
    await expect(injection.done).rejects.toThrow('`find` was not called within 10 ms, so nothing was injected.');
  });

  test('rejects a name that is not a method', () => {
    expect(() => injectOnce({ value: 1 } as never, 'value' as never, () => undefined)).toThrow(InvalidArgumentError);
  });
});

describe('injectOnce in a test that runs in its own scope', () => {
  aroundEach(withFreshScope);

  test('runs the injected request in a fresh scope, so it waits for a lock the caller holds and loses no update', async () => {
    const locks = new KeyedMutex();
    const counter = {
      value: 0,
      async read() {
        return this.value;
      },
    };
    const increment = () =>
      locks.withLock('counter', async () => {
        counter.value = (await counter.read()) + 1;
      });
    const injection = injectOnce(counter, 'read', increment, { mode: 'start' });
    await increment();
    await injection.done;
    expect(counter.value).toBe(2);
  });

  test("gives the injected request its own Current, neither seeing nor changing the caller's", async () => {
    Current.locale = 'de';
    const clock = { now: () => 42 };
    const seenByAction: string[] = [];
    const injection = injectOnce(
      clock,
      'now',
      () => {
        seenByAction.push(Current.locale);
        Current.locale = 'fr';
      },
      { mode: 'start' },
    );
    clock.now();
    await injection.done;
    expect(seenByAction).toEqual(['en']);
    expect(Current.locale).toBe('de');
  });
});

describe('injectOnce with bad options', () => {
  test('rejects a timeout that is not a positive number, saying what to pass', () => {
    expect(() => injectOnce(repository([]), 'find', () => undefined, { timeoutMs: -1 })).toThrow(
      new InvalidArgumentError('Expected `timeoutMs` to be a positive number, got `-1` (number).'),
    );
  });
});
