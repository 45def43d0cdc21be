import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSoakApp, type SoakFramework } from './apps.js';
import { type ClientFigures, drive } from './clients.js';

/** The figures of one framework's soak. */
export interface SoakFigures extends ClientFigures {
  readonly framework: SoakFramework;
  readonly seconds: number;
  readonly handlersRun: number;
  /** Reads of `Current.user` in handlers and body producers that gave another request's user, or none. */
  readonly wrongReads: number;
  /** Times a request's code started while another request's code ran: two holders of the one lock. */
  readonly overlaps: number;
  /** The longest the lock stayed held while none of its holders' code ran, in ms, during the run and after it. */
  readonly maxIdleHoldMs: number;
  readonly acquired: number;
  readonly abandonedWhileQueued: number;
  readonly releasedAfterDisconnect: number;
  readonly releasedByBound: number;
}

/** How long the lock may stay held once none of its holders' code runs: the soak's limit. */
export const IDLE_HOLD_LIMIT_MS = 1000;

/** Whether a soak kept every promise: no wrong read, no overlap, no lock held past the limit. */
export function soakPassed(figures: SoakFigures): boolean {
  return (
    figures.wrongReads === 0 &&
    figures.wrongAnswers === 0 &&
    figures.overlaps === 0 &&
    figures.releasedByBound === 0 &&
    figures.maxIdleHoldMs < IDLE_HOLD_LIMIT_MS
  );
}

/**
 * Soaks `framework`'s adapter: `requests` requests from `concurrency`
 * clients through its scope middleware and a `globalLock()`, then waits for
 * the handlers whose clients left and for the lock to settle.
 */
export async function soak(
  framework: SoakFramework,
  { requests, concurrency, onProgress }: { requests: number; concurrency: number; onProgress?: (done: number) => void },
): Promise<SoakFigures> {
  const { server, lockStats, probe } = await createSoakApp(framework);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const started = performance.now();
  try {
    const clients = await drive(port, requests, concurrency, onProgress);
    // The clients are gone: the last handlers and bodies end, then the lock must be free.
    const deadline = performance.now() + 60_000;
    while ((probe.busy || lockStats().active > 0) && performance.now() < deadline) await sleep(5);
    probe.sample();
    const { acquired, abandoned, releasedAfterDisconnect, releasedByBound } = lockStats();
    return {
      framework,
      seconds: Math.round((performance.now() - started) / 1000),
      ...clients,
      handlersRun: probe.handlersRun,
      wrongReads: probe.wrongReads,
      overlaps: probe.overlaps,
      maxIdleHoldMs: Math.round(probe.maxIdleHoldMs),
      acquired,
      abandonedWhileQueued: abandoned,
      releasedAfterDisconnect,
      releasedByBound,
    };
  } finally {
    probe.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
