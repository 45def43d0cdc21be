import type { Production } from './production.js';

/**
 * How a request's work ended:
 * - `'completed'`: the response was ended by the handler and its connection let go of it;
 * - `'after-disconnect'`: the client left first, and later the handler ended the response
 *   (its bytes go nowhere) or the framework reported the handler done, and
 *   whatever still produced the response (a streamed body, the framework's
 *   own write after the handler) stopped;
 * - `'abandoned'`: the client left, and the handler did neither within `abandonedHoldMs`.
 */
export type RequestEnd = 'completed' | 'after-disconnect' | 'abandoned';

/**
 * What a `RequestWatch` tells the request it follows: a scope's, or a lock's.
 *
 * @example
 * ```ts
 * class TimedRequest implements WatchedRequest {
 *   readonly watch = new RequestWatch(req, res, { abandonedHoldMs: 30_000 }, this);
 *   onEnd(end: RequestEnd) { log('request over', end); }
 *   onDisconnect() {}
 *   followUp() {}
 * }
 * ```
 */
export interface WatchedRequest {
  /** Called exactly once, when the request's work is over. */
  onEnd(end: RequestEnd): void;
  /** Called once, when the client leaves before the response was ended. */
  onDisconnect(): void;
  /**
   * Called once the handler is done and its client gone, whichever came
   * last, before the request's end is decided: where the framework still
   * writes the response after its handler, tell `production` so
   * (`expectWrite`, `follow`, `unseenWriter`).
   */
  followUp(production: Production): void;
}
