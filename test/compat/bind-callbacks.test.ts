import { bindCallbacks, InvalidArgumentError } from 'current-attributes';
import { createDeferred } from 'current-attributes/testing';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { Current } from './harness/current.js';

/** A pool of one connection, written as many drivers are: whoever releases it calls the next waiter back. */
class OneConnectionPool {
  #busy = false;
  readonly #waiting: Array<(release: () => void) => void> = [];
  acquire(callback: (release: () => void) => void): void {
    if (this.#busy) return void this.#waiting.push(callback);
    this.#busy = true;
    callback(this.#release);
  }
  readonly #release = () => {
    const next = this.#waiting.shift();
    if (next === undefined) this.#busy = false;
    else next(this.#release);
  };
}

/** Request 1 holds the connection while request 2 queues for it; then request 1 releases it. Returns what request 2's callback read. */
async function readByTheWaiter(pool: OneConnectionPool): Promise<number | undefined> {
  const queued = createDeferred();
  const seen = createDeferred<number | undefined>();
  await Promise.all([
    Current.run(async () => {
      Current.requestId = 1;
      let release = () => {};
      pool.acquire((done) => {
        release = done;
      });
      await queued.promise;
      release();
    }),
    Current.run(async () => {
      Current.requestId = 2;
      pool.acquire((release) => {
        seen.resolve(Current.requestId);
        release();
      });
      queued.resolve();
    }),
  ]);
  return seen.promise;
}

describe('bindCallbacks', () => {
  test("leaves a waiter's callback to run in the request that released the connection", async () => {
    expect(await readByTheWaiter(new OneConnectionPool())).toBe(1);
  });

  test('runs it in the request that handed it over once the pool went through bindCallbacks', async () => {
    expect(await readByTheWaiter(bindCallbacks(new OneConnectionPool(), ['acquire']))).toBe(2);
  });

  test('changes only the object it was given, never the prototype or another instance', async () => {
    const bound = bindCallbacks(new OneConnectionPool(), ['acquire']);
    expect(Object.hasOwn(bound, 'acquire')).toBe(true);
    expect(OneConnectionPool.prototype.acquire).not.toBe(bound.acquire);
    expect(await readByTheWaiter(new OneConnectionPool())).toBe(1);
  });

  test("keeps the method's this, its other arguments and its return value, and binds once when applied twice", () => {
    const calls: unknown[][] = [];
    const target = {
      name: 'target',
      run(this: { name: string }, label: string, task: () => number) {
        calls.push([this.name, label]);
        return task();
      },
    };
    const bound = bindCallbacks(bindCallbacks(target, ['run']), ['run']);
    expect(bound.run('label', () => 42)).toBe(42);
    expect(calls).toEqual([['target', 'label']]);
  });

  test('refuses what it cannot bind, with a typed error that says what was expected', () => {
    expect(() => bindCallbacks(null as never, ['x' as never])).toThrow(InvalidArgumentError);
    expect(() => bindCallbacks({ run() {} }, [])).toThrow(
      'Expected `methods` to be a non-empty array of method names, got `` (array).',
    );
    expect(() => bindCallbacks({ run() {} }, ['missing' as never])).toThrow(
      'Expected `methods` to name methods of `target`, got `missing` (string), which is `undefined` (undefined).',
    );
    expect(() => bindCallbacks({}, ['__proto__' as never])).toThrow(InvalidArgumentError);
    expect(() => bindCallbacks({ run() {} }, [Symbol('run') as never])).toThrow(InvalidArgumentError);
    expect(() => bindCallbacks(Object.freeze({ run() {} }), ['run'])).toThrow(
      'bind each callback with `bind(fn)` instead',
    );
  });

  test('is typed to return the object as it was, and to take only the names of its methods', () => {
    const pool = new OneConnectionPool();
    expectTypeOf(bindCallbacks(pool, ['acquire'])).toEqualTypeOf<OneConnectionPool>();
    const target = { count: 1, run: () => 1 };
    // @ts-expect-error `count` is not a method
    expect(() => bindCallbacks(target, ['count'])).toThrow(InvalidArgumentError);
  });
});
