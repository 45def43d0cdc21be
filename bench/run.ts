import { type LoadSummary, loadAndVerify } from 'current-attributes/testing';
import { describeMachine, type Machine } from './machine.js';
import { type ServerProcess, startServerProcess } from './server-process.js';
import type { BenchSettings } from './settings.js';
import type { Strategy } from './strategies.js';

/** One measurement: a strategy at one IO delay and concurrency. */
export interface BenchRow {
  readonly strategy: Strategy;
  readonly delayMs: number;
  readonly connections: number;
  readonly summary: LoadSummary;
}

/** The heap of the `current` server around a long run: a retained scope would show as growth. */
export interface MemoryCheck {
  readonly strategy: Strategy;
  readonly requests: number;
  readonly heapBeforeBytes: number;
  readonly heapAfterBytes: number;
  readonly changePercent: number;
  readonly leaked: number;
}

export interface BenchResult {
  readonly machine: Machine;
  readonly settings: BenchSettings;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly rows: readonly BenchRow[];
  readonly memory?: MemoryCheck;
}

export interface RunHooks {
  /** Told before each measurement: what runs now, and roughly how long is left. */
  readonly onStep?: (step: { index: number; total: number; label: string; secondsLeft: number }) => void;
  readonly signal?: AbortSignal;
}

const MEMORY_STRATEGY: Strategy = 'current';

/** Every request is its own user, so an answer naming another user is a leak. */
const requestsAt = (delayMs: number) => (index: number) => ({
  path: `/user?delay=${delayMs}`,
  headers: { 'x-user': `user-${index}` },
  expected: `user-${index}`,
});

/**
 * Runs every strategy in its own server process, at every IO delay and
 * concurrency, one measurement at a time, then the memory check.
 */
export async function runBenchmark(settings: BenchSettings, hooks: RunHooks = {}): Promise<BenchResult> {
  const { onStep, signal } = hooks;
  const startedAt = new Date().toISOString();
  const machine = describeMachine(settings.nodePath);
  const steps = settings.strategies.flatMap((strategy) =>
    settings.delaysMs.flatMap((delayMs) =>
      settings.connections.map((connections) => ({ strategy, delayMs, connections })),
    ),
  );
  const measureMemory = settings.memoryRequests > 0 && settings.strategies.includes(MEMORY_STRATEGY);
  const stepSeconds = settings.warmupSeconds + settings.durationSeconds + 0.5;
  const memorySeconds = measureMemory ? settings.memoryRequests / 5000 : 0;
  const rows: BenchRow[] = [];
  let memory: MemoryCheck | undefined;

  // Every server starts first and stays up, idle but for its own turn, so
  // each setting measures the strategies back to back, in an order that
  // rotates from one setting to the next: slow drift of the machine then
  // spreads over all strategies instead of favouring whichever ran first.
  const servers = new Map<Strategy, ServerProcess>();
  try {
    for (const strategy of settings.strategies)
      servers.set(strategy, await startServerProcess(strategy, settings.nodePath));
    const settingsGrid = settings.delaysMs.flatMap((delayMs) =>
      settings.connections.map((connections) => ({ delayMs, connections })),
    );
    for (const [position, { delayMs, connections }] of settingsGrid.entries()) {
      const order = rotate(settings.strategies, position);
      for (const strategy of order) {
        signal?.throwIfAborted();
        onStep?.({
          index: rows.length + 1,
          total: steps.length,
          label: `${strategy}, ${delayMs} ms IO, ${connections} connection${connections === 1 ? '' : 's'}`,
          secondsLeft: (steps.length - rows.length) * stepSeconds + memorySeconds,
        });
        const load = {
          url: (servers.get(strategy) as ServerProcess).url,
          connections,
          request: requestsAt(delayMs),
          signal,
        };
        if (settings.warmupSeconds > 0) await loadAndVerify({ ...load, durationSeconds: settings.warmupSeconds });
        const summary = await loadAndVerify({ ...load, durationSeconds: settings.durationSeconds });
        rows.push({ strategy, delayMs, connections, summary });
      }
    }
    const server = servers.get(MEMORY_STRATEGY);
    if (measureMemory && server) {
      signal?.throwIfAborted();
      onStep?.({
        index: rows.length,
        total: steps.length,
        label: `heap check: ${settings.memoryRequests} requests to ${MEMORY_STRATEGY}`,
        secondsLeft: memorySeconds,
      });
      memory = await checkMemory(server, MEMORY_STRATEGY, settings.memoryRequests, signal);
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  }
  rows.sort(
    (a, b) =>
      settings.strategies.indexOf(a.strategy) - settings.strategies.indexOf(b.strategy) ||
      a.delayMs - b.delayMs ||
      a.connections - b.connections,
  );
  return { machine, settings, startedAt, finishedAt: new Date().toISOString(), rows, ...(memory ? { memory } : {}) };
}

async function checkMemory(
  server: ServerProcess,
  strategy: Strategy,
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
    strategy,
    requests: summary.transactions,
    heapBeforeBytes,
    heapAfterBytes,
    changePercent: (100 * (heapAfterBytes - heapBeforeBytes)) / heapBeforeBytes,
    leaked: summary.leaked,
  };
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
