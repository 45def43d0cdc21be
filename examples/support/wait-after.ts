import type { RaceRound } from 'current-attributes/testing';

/**
 * Wraps `target` so that every call of `method`, once answered, waits at the
 * race's checkpoint until all processes have made the same call: every
 * "check" happens before any "act". A racer's test seam; the code under test
 * gets the wrapped object and does not know.
 */
export function waitAfter<T extends object>(
  target: T,
  method: keyof T & string,
  checkpoint: RaceRound['checkpoint'],
): T {
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      if (property !== method) return value.bind(object);
      return async (...args: unknown[]) => {
        const answer = await value.apply(object, args);
        await checkpoint(method);
        return answer;
      };
    },
  });
}
