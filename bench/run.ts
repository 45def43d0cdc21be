import { loadAndVerify } from 'current-attributes/testing';
import { combineSamples, type Sample } from './aggregate.js';
import { describeMachine, type Machine } from './machine.js';
import { type ServerProcess, startServerProcess } from './server-process.js';
import type { BenchSettings } from './settings.js';
import type { Strategy } from './strategies.js';

/**
 * A strategy at one IO delay and concurrency: its rounds combined (see
 * `combineSamples`), and each round as measured.
 */
export interface BenchRow extends Sample {
  readonly strategy: Strategy;
  readonly delayMs: number;
  readonly connections: number;
  readonly rounds: readonly Sample[];
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
  const measurements = settings.strategies.length * settings.delaysMs.length * settings.connections.length;
  const measureMemory = settings.memoryRequests > 0 && settings.strategies.includes(MEMORY_STRATEGY);
  const stepSeconds = settings.warmupSeconds + settings.rounds * (settings.durationSeconds + 0.3);
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
    let done = 0;
    for (const [position, { delayMs, connections }] of settingsGrid.entries()) {
      const order = rotate(settings.strategies, position);
      const samples = new Map<Strategy, Sample[]>(order.map((strategy) => [strategy, []]));
      const loadOf = (strategy: Strategy) => ({
        url: (servers.get(strategy) as ServerProcess).url,
        connections,
        request: requestsAt(delayMs),
        signal,
      });
      onStep?.({
        index: position + 1,
        total: settingsGrid.length,
        label: `${delayMs} ms IO, ${connections} connection${connections === 1 ? '' : 's'}: ${order.join(', ')}`,
        secondsLeft: (measurements - done) * stepSeconds + memorySeconds,
      });
      if (settings.warmupSeconds > 0) {
        for (const strategy of order)
          await loadAndVerify({ ...loadOf(strategy), durationSeconds: settings.warmupSeconds });
      }
      for (let round = 0; round < settings.rounds; round += 1) {
        for (const strategy of rotate(order, round)) {
          signal?.throwIfAborted();
          const server = servers.get(strategy) as ServerProcess;
          const cpuBefore = await server.cpuMicros();
          const summary = await loadAndVerify({ ...loadOf(strategy), durationSeconds: settings.durationSeconds });
          const cpu = (await server.cpuMicros()) - cpuBefore;
          samples.get(strategy)?.push({ summary, serverCpuMicrosPerRequest: cpu / Math.max(summary.transactions, 1) });
        }
      }
      for (const [strategy, rounds] of samples) {
        rows.push({ strategy, delayMs, connections, rounds, ...combineSamples(rounds) });
        done += 1;
      }
    }
    const server = servers.get(MEMORY_STRATEGY);
    if (measureMemory && server) {
      signal?.throwIfAborted();
      onStep?.({
        index: settingsGrid.length,
        total: settingsGrid.length,
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
