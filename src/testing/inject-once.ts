import { InvalidArgumentError } from '../core/errors.js';
import { expectOptions, optionNames } from '../core/options.js';
import { describeValue, expectFunction } from '../core/validate.js';
import { createDeferred } from './deferred.js';
import { RaceTimeoutError } from './errors.js';
import { expectTimeout } from './expect.js';
import { withFreshScope } from './fresh-scope.js';
import { realClearTimeout, realSetTimeout } from './real-timers.js';

/** Options of `injectOnce`. */
export interface InjectOnceOptions {
  /**
   * `'before'` (default): the first call awaits `action` to completion, then
   * runs the original; the method must return a promise. `'start'`: the first
   * call starts `action` and runs the original at once, for a synchronous
   * method (a clock) or when the action will wait for a lock the caller holds.
   */
  readonly mode?: 'before' | 'start';
  /** How long `done` waits for the method to be called and the action to settle, in ms. Default 10 000. */
  readonly timeoutMs?: number;
}

/** A pending injection. */
export interface Injection {
  /** Whether the method has been called (and the action run). */
  readonly injected: boolean;
  /** Settles with the action: resolves with its result, rejects with its error, or with `RaceTimeoutError` if the method was never called. */
  readonly done: Promise<unknown>;
  /** Puts the original method back (done already after the first call). Safe to call twice. */
  restore(): void;
}

const INJECT_ONCE_OPTIONS = optionNames<InjectOnceOptions>({ mode: true, timeoutMs: true });

type MethodKey<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T] & string;

/**
 * Injects a concurrent call at an entry point inside the code under test:
 * the first time `target[method]` is called, `action` runs (another request,
 * another job) before the original continues, exactly once; later calls go
 * straight to the original. The "stub the clock to run `update_tokens` again
 * mid-flight" test, without hoping for bad timing.
 *
 * The action is another request, so it runs in a fresh scope of its own:
 * it sees every `Current` at its defaults, its writes never reach the
 * caller, and it is not inside the caller's locks (it waits for them, as a
 * real second request would, instead of failing with `ReentrantLockError`).
 *
 * @throws {InvalidArgumentError} when `target[method]` is not a function, or an option is malformed or unknown.
 * @example
 * ```ts
 * // The second save runs between the first one's read and its write.
 * const injection = injectOnce(clock, 'now', () => addToken(user, 'second'), { mode: 'start' });
 * await addToken(user, 'first');
 * await injection.done;
 * expect(Object.keys(await tokens(user))).toEqual(['first', 'second']);
 * ```
 */
export function injectOnce<T extends object, K extends MethodKey<T>>(
  target: T,
  method: K,
  action: () => unknown,
  options: InjectOnceOptions = {},
): Injection {
  const original = target[method] as unknown;
  if (typeof original !== 'function') {
    throw new InvalidArgumentError(
      `Expected \`${method}\` to be a method of the target, got ${describeValue(original)}.`,
    );
  }
  expectFunction('action', action);
  expectOptions(options, INJECT_ONCE_OPTIONS, 'injectOnce()');
  const { mode = 'before', timeoutMs = 10_000 } = options;
  if (mode !== 'before' && mode !== 'start') {
    throw new InvalidArgumentError(`Expected \`mode\` to be 'before' or 'start', got ${describeValue(mode)}.`);
  }
  expectTimeout('timeoutMs', timeoutMs);
  const origin = new Error('injectOnce called here');
  const hadOwn = Object.hasOwn(target, method);
  const settled = createDeferred<unknown>();
  // Seen by whoever awaits `done`; not an unhandled rejection that would fail some later test.
  settled.promise.catch(() => undefined);
  let injected = false;
  const restore = () => {
    if (hadOwn) (target as Record<string, unknown>)[method] = original;
    else delete (target as Record<string, unknown>)[method];
  };
  const timer = realSetTimeout(() => {
    if (injected) return;
    restore();
    settled.reject(
      new RaceTimeoutError(`\`${method}\` was not called within ${timeoutMs} ms, so nothing was injected.`, {
        cause: origin,
      }),
    );
  }, timeoutMs);
  timer.unref?.();

  (target as Record<string, unknown>)[method] = function (this: unknown, ...args: unknown[]) {
    injected = true;
    realClearTimeout(timer);
    restore();
    // Started synchronously, so the action's first step (a query sent, say)
    // happens before the original's next one.
    const running = withFreshScope(action);
    running.then(settled.resolve, settled.reject);
    const callOriginal = () => (original as (...args: unknown[]) => unknown).apply(this, args);
    return mode === 'start' ? callOriginal() : running.then(callOriginal);
  };

  return {
    get injected() {
      return injected;
    },
    done: settled.promise,
    restore() {
      realClearTimeout(timer);
      if (!injected) restore();
    },
  };
}
