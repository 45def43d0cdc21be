import { EventEmitter } from 'node:events';
import { bind, bindEmitter, InvalidArgumentError, snapshot } from 'current-attributes';
import { createDeferred } from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';
import { alice, bob, Current } from '../support/fixtures.js';

/** A user-land queue shared by every request, like a connection pool's wait list. */
class SharedQueue {
  readonly #waiting: Array<() => void> = [];
  enqueue(callback: () => void): void {
    this.#waiting.push(callback);
  }
  drain(): void {
    for (const callback of this.#waiting.splice(0)) callback();
  }
}

/**
 * Alice's request queues a callback and waits; Bob's request drains the
 * queue meanwhile. Returns whom the callback saw.
 */
async function queuedByAliceDrainedByBob(wrap: (callback: () => void) => () => void) {
  const queue = new SharedQueue();
  const queued = createDeferred();
  const drained = createDeferred();
  let seen: string | undefined;
  await Promise.all([
    Current.run(async () => {
      Current.user = alice;
      queue.enqueue(
        wrap(() => {
          seen = Current.user?.name;
        }),
      );
      queued.resolve();
      await drained.promise;
    }),
    Current.run(async () => {
      Current.user = bob;
      await queued.promise;
      queue.drain();
      drained.resolve();
    }),
  ]);
  return seen;
}

describe('a callback queued by a shared object', () => {
  test('runs in the scope of whoever drains the queue when left unbound', async () => {
    expect(await queuedByAliceDrainedByBob((callback) => callback)).toBe('Bob');
  });

  test('runs in the scope it was queued from when wrapped in bind', async () => {
    expect(await queuedByAliceDrainedByBob(bind)).toBe('Alice');
    expect(await queuedByAliceDrainedByBob((callback) => Current.bind(callback))).toBe('Alice');
  });

  test('runs in the captured scope when called through a snapshot', async () => {
    expect(
      await queuedByAliceDrainedByBob((callback) => {
        const inQueuingScope = snapshot();
        return () => inQueuingScope(callback);
      }),
    ).toBe('Alice');
  });

  test('bind passes arguments and `this` through and returns the result', () => {
    Current.run(() => {
      Current.locale = 'fr';
      const bound = bind(function (this: { prefix: string }, word: string) {
        return `${this.prefix}${word}-${Current.locale}`;
      });
      expect(Current.run(() => bound.call({ prefix: '>' }, 'hi'))).toBe('>hi-fr');
    });
  });

  test('sees the values after reset when it runs after its scope has ended', () => {
    const bound = Current.run(() => {
      Current.locale = 'fr';
      return bind(() => Current.locale);
    });
    expect(bound()).toBe('en');
  });

  test('bind rejects a non-function', () => {
    expect(() => bind('nope' as never)).toThrow(InvalidArgumentError);
  });
});

describe('bindEmitter', () => {
  /** Alice and Bob each add listeners to one shared emitter and wait; Carol's request emits twice. */
  async function listenersSeeWhenCarolEmits(emitter: EventEmitter): Promise<string[]> {
    const seen: string[] = [];
    const done = createDeferred();
    const listening = [alice, bob].map((user) => {
      const added = createDeferred();
      const request = Current.run(async () => {
        Current.user = user;
        emitter.on('event', () => seen.push(`on: ${Current.user?.name}`));
        emitter.once('event', () => seen.push(`once: ${Current.user?.name}`));
        added.resolve();
        await done.promise;
      });
      return { added: added.promise, request };
    });
    await Promise.all(listening.map(({ added }) => added));
    Current.run(() => {
      Current.user = { ...alice, name: 'Carol' };
      emitter.emit('event');
      emitter.emit('event');
    });
    done.resolve();
    await Promise.all(listening.map(({ request }) => request));
    return seen;
  }

  test('without it, every listener of a shared emitter runs in the emitting scope', async () => {
    expect(await listenersSeeWhenCarolEmits(new EventEmitter())).toEqual([
      'on: Carol',
      'once: Carol',
      'on: Carol',
      'once: Carol',
      'on: Carol',
      'on: Carol',
    ]);
  });

  test('with it, each listener runs in the scope it was added from, and once still fires once', async () => {
    expect(await listenersSeeWhenCarolEmits(bindEmitter(new EventEmitter()))).toEqual([
      'on: Alice',
      'once: Alice',
      'on: Bob',
      'once: Bob',
      'on: Alice',
      'on: Bob',
    ]);
  });

  test('removes a listener by the function the caller added, for on and once alike', () => {
    const emitter = Current.bindEmitter(new EventEmitter());
    const calls: string[] = [];
    const onListener = () => calls.push('on');
    const onceListener = () => calls.push('once');
    emitter.on('event', onListener);
    emitter.prependOnceListener('event', onceListener);
    expect(emitter.listeners('event')).toEqual([onceListener, onListener]);
    emitter.off('event', onListener);
    emitter.removeListener('event', onceListener);
    emitter.emit('event');
    expect(calls).toEqual([]);
    expect(emitter.listenerCount('event')).toBe(0);
  });

  test('returns the same emitter and binds it only once', () => {
    const emitter = new EventEmitter();
    expect(bindEmitter(bindEmitter(emitter))).toBe(emitter);
    let calls = 0;
    emitter.on('event', () => {
      calls += 1;
    });
    emitter.emit('event');
    expect(calls).toBe(1);
  });

  test('calls a bound listener with the emitter as `this` and the event’s arguments, as EventEmitter does', () => {
    const emitter = bindEmitter(new EventEmitter());
    const seen: unknown[] = [];
    Current.run(() => {
      Current.locale = 'fr';
      emitter.on('event', function (this: EventEmitter, word: string) {
        seen.push(this === emitter, word, Current.locale);
      });
      Current.run(() => {
        Current.locale = 'de';
        emitter.emit('event', 'hi');
      });
    });
    expect(seen).toEqual([true, 'hi', 'fr']);
  });

  test('rejects something that is not an emitter', () => {
    expect(() => bindEmitter({} as never)).toThrow(
      'Expected `emitter` to be an EventEmitter, got `[object Object]` (object).',
    );
  });
});
