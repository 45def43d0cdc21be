/**
 * Runs `fn`, then `cleanUp` once `fn` has returned, thrown, or (when it
 * returns a promise) settled, and returns what `fn` returns. When `fn` failed
 * and `cleanUp` fails too, `fn`'s error wins and the other is reported as a
 * process warning, so neither is lost.
 */
export function runThenCleanUp<R>(fn: () => R, cleanUp: () => void): R {
  let result: R;
  try {
    result = fn();
  } catch (error) {
    cleanUpAfterFailure(cleanUp);
    throw error;
  }
  if (!isPromiseLike(result)) {
    cleanUp();
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      cleanUp();
      return value;
    },
    (error: unknown) => {
      cleanUpAfterFailure(cleanUp);
      throw error;
    },
  ) as R;
}

function cleanUpAfterFailure(cleanUp: () => void): void {
  try {
    cleanUp();
  } catch (error) {
    process.emitWarning(error as Error);
  }
}

/** Whether `value` has a `then` method, as a promise returned by user code may be any thenable. */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}
