import { loadAndVerify } from 'current-attributes/testing';
import type { Framework, Strategy } from './frameworks.js';
import { requestsAt } from './load.js';
import type { ServerProcess } from './server-process.js';

/** The heap of a server around a long run: a retained scope per request would show as growth. */
export interface MemoryCheck {
  readonly framework: Framework;
  readonly strategy: Strategy;
  readonly requests: number;
  readonly heapBeforeBytes: number;
  readonly heapAfterBytes: number;
  readonly changePercent: number;
  readonly leaked: number;
}

/** The strategy whose heap is checked: the library's own. */
export const MEMORY_STRATEGY: Strategy = 'current';

/**
 * Sends `requests` more requests to `server` and compares its heap after a full GC before and after.
 *
 * @example
 * ```ts
 * const check = await checkMemory(servers.get('current'), 'koa', 100_000, signal); // check.changePercent
 * ```
 */
export async function checkMemory(
  server: ServerProcess,
  framework: Framework,
  requests: number,
  signal: AbortSignal | undefined,
): Promise<MemoryCheck> {
  const heapBeforeBytes = await server.heapUsed();
  const summary = await loadAndVerify({
    url: server.url,
    connections: 100,
    amount: requests,
    request: requestsAt(0),
    signal,
  });
  const heapAfterBytes = await server.heapUsed();
  return {
    framework,
    strategy: MEMORY_STRATEGY,
    requests: summary.transactions,
    heapBeforeBytes,
    heapAfterBytes,
    changePercent: (100 * (heapAfterBytes - heapBeforeBytes)) / heapBeforeBytes,
    leaked: summary.leaked,
  };
}
