import { loadAndVerify } from 'current-attributes/testing';
import { combineSamples, type Sample } from './aggregate.js';
import type { Framework, Strategy } from './frameworks.js';
import type { ServerProcess } from './server-process.js';
import type { BenchSettings } from './settings.js';

/**
 * A strategy on a framework at one IO delay and concurrency: its rounds
 * combined (see `combineSamples`), and each round as measured.
 */
export interface BenchRow extends Sample {
  readonly framework: Framework;
  readonly strategy: Strategy;
  readonly delayMs: number;
  readonly connections: number;
  readonly rounds: readonly Sample[];
}

/**
 * Every request is its own user, so an answer naming another user is a leak.
 *
 * @example
 * ```ts
 * loadAndVerify({ url, connections: 10, amount: 500, request: requestsAt(10) }); // GET /?delay=10 as user-0, user-1, ...
 * ```
 */
export const requestsAt = (delayMs: number) => (index: number) => ({
  path: `/?delay=${delayMs}`,
  headers: { 'x-user': `user-${index}` },
  expected: `user-${index}`,
});

/** One IO delay and concurrency of the grid a framework is measured at. */
export interface Setting {
  readonly delayMs: number;
  readonly connections: number;
}

/**
 * The row of `strategy` at one setting, among rows of one framework.
 *
 * @example
 * ```ts
 * findRow(rows, 'global-lock', 10, 100)?.summary.latencyMs.p99; // about 1,000 ms: the queue of a global lock
 * ```
 */
export function findRow(
  rows: readonly BenchRow[],
  strategy: Strategy,
  delayMs: number,
  connections: number,
): BenchRow | undefined {
  return rows.find((row) => row.strategy === strategy && row.delayMs === delayMs && row.connections === connections);
}

/**
 * Every IO delay with every connection count of a run, in that order.
 *
 * @example
 * ```ts
 * settingsGrid(DEFAULT_SETTINGS); // [{ delayMs: 0, connections: 1 }, { delayMs: 0, connections: 10 }, ...]
 * ```
 */
export function settingsGrid({ delaysMs, connections }: BenchSettings): Setting[] {
  return delaysMs.flatMap((delayMs) => connections.map((count) => ({ delayMs, connections: count })));
}

/**
 * Measures the servers of one framework at one setting: a warm-up of each,
 * then `rounds` rounds, each strategy once per round, in an order that
 * rotates from round to round (and, through `position`, from setting to
 * setting): slow drift of the machine spreads over every strategy instead of
 * favouring whichever ran first.
 *
 * @example
 * ```ts
 * rows.push(...(await measureSetting('express', servers, { delayMs: 0, connections: 10 }, 0, settings)));
 * ```
 */
export async function measureSetting(
  framework: Framework,
  servers: ReadonlyMap<Strategy, ServerProcess>,
  { delayMs, connections }: Setting,
  position: number,
  settings: BenchSettings,
  signal?: AbortSignal,
): Promise<BenchRow[]> {
  const order = rotate([...servers.keys()], position);
  const samples = new Map<Strategy, Sample[]>(order.map((strategy) => [strategy, []]));
  const loadOf = (strategy: Strategy, durationSeconds: number) =>
    loadAndVerify({
      url: (servers.get(strategy) as ServerProcess).url,
      connections,
      durationSeconds,
      request: requestsAt(delayMs),
      signal,
    });
  if (settings.warmupSeconds > 0) {
    for (const strategy of order) await loadOf(strategy, settings.warmupSeconds);
  }
  for (let round = 0; round < settings.rounds; round += 1) {
    for (const strategy of rotate(order, round)) {
      signal?.throwIfAborted();
      const server = servers.get(strategy) as ServerProcess;
      const cpuBefore = await server.cpuMicros();
      const summary = await loadOf(strategy, settings.durationSeconds);
      const cpu = (await server.cpuMicros()) - cpuBefore;
      samples.get(strategy)?.push({ summary, serverCpuMicrosPerRequest: cpu / Math.max(summary.transactions, 1) });
    }
  }
  return [...samples].map(([strategy, rounds]) => ({
    framework,
    strategy,
    delayMs,
    connections,
    rounds,
    ...combineSamples(rounds),
  }));
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
