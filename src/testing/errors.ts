import { CurrentAttributesError } from '../core/errors.js';

/**
 * Thrown when a race-testing helper gave up waiting: the message says what it
 * waited for and what had happened by then.
 *
 * @example
 * ```ts
 * const barrier = createBarrier(3, { timeoutMs: 1000 });
 * await barrier.arrive(); // only 1 of 3 ever arrive: RaceTimeoutError after 1 s
 * ```
 */
export class RaceTimeoutError extends CurrentAttributesError {
  override name = 'RaceTimeoutError';
}
