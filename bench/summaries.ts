import { spreadOf } from './aggregate.js';
import type { CostRun } from './cost.js';
import { formatCost, formatCount, formatRatio, formatSpread } from './format.js';
import { type Framework, PEERS, STRATEGIES, strategyLabel } from './frameworks.js';
import { markdownTable } from './markdown.js';
import { OVERHEAD_SETTINGS, roundsOver } from './overhead.js';
import type { BenchResult } from './run.js';

/**
 * Each framework's contexts as a fraction of its bare req/s, with the spread over rounds.
 *
 * @example
 * ```ts
 * console.log(renderOverheadTable(result)); // | express | 0.950x (0.900x to 0.990x over 10 rounds) | ...
 * ```
 */
export function renderOverheadTable(result: BenchResult): string {
  const lines = result.settings.frameworks.map((framework) => {
    const cell = (strategy: 'current' | 'als' | 'peer') => {
      const ratios = roundsOver(result.rows, framework, strategy);
      return ratios.length === 0 ? '-' : formatSpread(spreadOf(ratios));
    };
    return [framework, cell('current'), cell('als'), PEERS[framework] ?? '-', cell('peer')];
  });
  return `Req/s as a fraction of the bare framework at ${OVERHEAD_SETTINGS}, median round (lowest to highest):\n\n${markdownTable(
    ['framework', 'current', 'als', 'peer', 'peer vs bare'],
    lines,
    1,
  )}`;
}

/**
 * The cost per warm request of each measured strategy, and its ratio to raw AsyncLocalStorage and to bare.
 *
 * @example
 * ```ts
 * if (result.cost) console.log(renderCostTable(result.cost));
 * ```
 */
export function renderCostTable(cost: CostRun): string {
  const { unit, requests, figures } = cost;
  const perRequest = (framework: Framework, strategy: string) =>
    figures.find((figure) => figure.framework === framework && figure.strategy === strategy)?.perRequest;
  const lines = [...figures]
    .sort((a, b) => STRATEGIES.indexOf(a.strategy) - STRATEGIES.indexOf(b.strategy))
    .map((figure) => {
      const vs = (base: string) => {
        const below = perRequest(figure.framework, base);
        return below === undefined ? '-' : formatRatio(figure.perRequest / below);
      };
      return [
        figure.framework,
        strategyLabel(figure.framework, figure.strategy),
        formatCost(figure.perRequest, unit),
        vs('als'),
        vs('bare'),
      ];
    });
  const method =
    unit === 'instructions'
      ? 'instructions on the event loop (the main thread) counted by valgrind (callgrind)'
      : 'server CPU time (install valgrind for instruction counts, which repeat to about 1%)';
  return `Cost per warm request at 0 ms IO, in ${method}, from the ${formatCount(requests[0])}th answer to the ${formatCount(requests[1])}th, divided by the requests between:\n\n${markdownTable(
    ['framework', 'strategy', 'per request', 'vs als', 'vs bare'],
    lines,
    2,
  )}`;
}
