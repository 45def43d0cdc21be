import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

// Every benchmark server, whatever its framework, answers `GET /?delay=<ms>`
// the same way: it takes the user from the `x-user` header, keeps it its own
// way, waits for the simulated IO, and answers with the user it then sees.

/**
 * The simulated IO of a request, from its URL: `?delay=10` is 10 ms, none is 0.
 *
 * @example
 * ```ts
 * delayOf('/?delay=10'); // 10
 * ```
 */
export function delayOf(url: string | undefined): number {
  const query = url?.indexOf('?') ?? -1;
  return query === -1 ? 0 : Number(new URLSearchParams(url?.slice(query + 1)).get('delay') ?? 0);
}

/**
 * Waits `delayMs`; 0 still yields once to the event loop, as any real IO
 * would, so a module-level variable has the chance to leak at every setting.
 *
 * @example
 * ```ts
 * await simulatedIo(delayOf(req.url));
 * ```
 */
export function simulatedIo(delayMs: number): Promise<unknown> {
  return delayMs > 0 ? sleep(delayMs) : nextTurn();
}
