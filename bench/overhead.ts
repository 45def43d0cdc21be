import { roundRatios } from './aggregate.js';
import type { Framework, Strategy } from './frameworks.js';
import type { BenchRow } from './load.js';

/** Where a context's overhead over the bare framework is read: there the framework, not the load driver, is the limit. */
export const OVERHEAD_SETTINGS = '0 ms IO, 10 or more connections';

const counts = (row: BenchRow) => row.delayMs === 0 && row.connections >= 10;

/**
 * The req/s of `strategy` over that of `base` (default: the bare framework)
 * on `framework`, once per round of every setting of `OVERHEAD_SETTINGS`,
 * each round paired with the same round of `base`.
 *
 * @example
 * ```ts
 * spreadOf(roundsOver(result.rows, 'fastify', 'peer')); // @fastify/request-context's req/s over bare Fastify's
 * ```
 */
export function roundsOver(
  rows: readonly BenchRow[],
  framework: Framework,
  strategy: Strategy,
  base: Strategy = 'bare',
): number[] {
  const of = (name: Strategy) =>
    rows.filter((row) => row.framework === framework && row.strategy === name && counts(row));
  const bases = of(base);
  return of(strategy).flatMap((row) => {
    const paired = bases.find((other) => other.connections === row.connections);
    return paired ? roundRatios(row, paired) : [];
  });
}
