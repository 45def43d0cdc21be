import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { signalHeldFor } from '../../request/lock-marks.js';
import { nodeObjectsOf } from './node-objects.js';

/**
 * The signal of the lock that `globalLock` or `keyedLock` holds for the
 * request of `c`: aborted with `ResponseClosedError` when the client hangs up
 * before the response is complete, or with `LockLostError` when a remote
 * lease lapses. `undefined` before a lock has granted it. Node's request
 * (`c.env.incoming` on @hono/node-server) is accepted too.
 *
 * @example
 * ```ts
 * app.post('/import', globalLock(), async (c) => {
 *   await importRows(await c.req.json(), { signal: lockSignal(c) });
 *   return c.text('imported');
 * });
 * ```
 */
export function lockSignal(c: Context | IncomingMessage): AbortSignal | undefined {
  if (!('req' in c && 'env' in c)) return signalHeldFor(c);
  return signalHeldFor(nodeObjectsOf(c)?.incoming ?? c.req.raw);
}
