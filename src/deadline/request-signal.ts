import { activeLifetime } from './lifetime.js';

/**
 * The active request's `AbortSignal` (Go's `ctx.Done()`), readable anywhere
 * in the request: aborted with `ClientDisconnectedError` when the client
 * hangs up, `DeadlineExceededError` when the request's deadline passes, or
 * `LockLostError` when a lock held for it is lost. Made on first read, so
 * requests that never ask pay nothing. `undefined` outside a request (a
 * job, `Current.run`), so it can be passed on as is.
 *
 * @example
 * ```ts
 * app.get('/report', async (req, res) => {
 *   const rows = await fetch(`${billing}/rows`, { signal: requestSignal() });
 *   res.json(await rows.json());
 * });
 * ```
 */
export function requestSignal(): AbortSignal | undefined {
  return activeLifetime()?.signal;
}

/**
 * The time left before the active request's deadline, in ms (never below
 * 0); `Infinity` when the request has no deadline or outside a request.
 *
 * @example
 * ```ts
 * await pool.query({ text: sql, query_timeout: Math.min(remainingMs(), 10_000) });
 * ```
 */
export function remainingMs(): number {
  const lifetime = activeLifetime();
  if (lifetime === undefined || lifetime.deadlineAt === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return Math.max(0, lifetime.deadlineAt - performance.now());
}
