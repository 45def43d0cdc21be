import { fileURLToPath } from 'node:url';
import { type CostUnit, DEFAULT_COST_HARNESS, measureCost, valgrindInstalled } from './cost/measure.js';
import { type Framework, type Strategy, serverName, strategiesOn } from './frameworks.js';
import type { BenchSettings } from './settings.js';

/** The cost of one warm request of a strategy's server on a framework, at 0 ms IO. */
export interface StrategyCost {
  readonly framework: Framework;
  readonly strategy: Strategy;
  readonly unit: CostUnit;
  readonly perRequest: number;
}

/** How the cost figures of a run were counted. */
export interface CostRun {
  readonly unit: CostUnit;
  readonly requests: readonly [number, number];
  /** The keep-alive connections the requests went over. */
  readonly connections: number;
  readonly figures: readonly StrategyCost[];
}

// The benchmark's own servers, so the cost figure is of the very code whose req/s is shown.
const SERVER_SCRIPT = fileURLToPath(new URL('./server.js', import.meta.url));

/**
 * The servers a run counts the cost of: each chosen strategy on each framework that has it.
 *
 * @example
 * ```ts
 * costServers({ ...DEFAULT_SETTINGS, frameworks: ['koa'], costStrategies: ['current', 'peer'] }); // [{ framework: 'koa', strategy: 'current' }]
 * ```
 */
export function costServers(settings: BenchSettings): { framework: Framework; strategy: Strategy }[] {
  return settings.frameworks.flatMap((framework) =>
    strategiesOn(framework, settings.costStrategies).map((strategy) => ({ framework, strategy })),
  );
}

/**
 * What the cost figures count here: instructions when valgrind is installed, else server CPU time.
 *
 * @example
 * ```ts
 * costUnit(); // 'instructions' where valgrind is installed
 * ```
 */
export function costUnit(): CostUnit {
  return valgrindInstalled() ? 'instructions' : 'cpu-microseconds';
}

/**
 * Rough seconds the cost figure of one server takes on two cores: valgrind starts Node slowly and runs it ~50x slower.
 *
 * @example
 * ```ts
 * costSeconds([1000, 4000], 'instructions'); // 60
 * ```
 */
export function costSeconds([, to]: readonly [number, number], unit: CostUnit): number {
  return unit === 'instructions' ? 20 + to * 0.01 : 2 + to / 3000;
}

/**
 * Counts the cost of one warm request of each chosen server with the method of
 * `npm run bench:cost` (`measureCost`): what the server spent on the requests of
 * a window, in instructions when valgrind is installed, else in server CPU time.
 *
 * @example
 * ```ts
 * const cost = await measureStrategyCosts({ ...DEFAULT_SETTINGS, costStrategies: ['current', 'als'] });
 * cost?.figures; // [{ framework: 'express', strategy: 'current', unit: 'instructions', perRequest: 650_200 }, ...]
 * ```
 */
export async function measureStrategyCosts(
  settings: BenchSettings,
  onServer?: (label: string) => void,
): Promise<CostRun | undefined> {
  const servers = costServers(settings);
  if (servers.length === 0) return undefined;
  const unit = costUnit();
  const figures: StrategyCost[] = [];
  for (const { framework, strategy } of servers) {
    const [figure] = await measureCost([serverName(framework, strategy)], {
      requests: settings.costRequests,
      unit,
      nodePath: settings.nodePath,
      serverScript: SERVER_SCRIPT,
      onStep: onServer,
    });
    if (figure) figures.push({ framework, strategy, unit, perRequest: figure.perRequest });
  }
  return { unit, requests: settings.costRequests, connections: DEFAULT_COST_HARNESS.connections, figures };
}
