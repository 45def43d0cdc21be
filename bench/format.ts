import type { Spread } from './aggregate.js';
import type { CostUnit } from './cost/measure.js';

// One format per kind of number, for the table, the targets and the chart alike.

/**
 * A count or rate: whole, with thousands separators.
 *
 * @example
 * ```ts
 * formatCount(12345.4); // '12,345'
 * ```
 */
export function formatCount(value: number): string {
  return formatNumber(value, 0);
}

/**
 * A latency from autocannon, whose resolution is one millisecond: "<1" below it.
 *
 * @example
 * ```ts
 * formatMs(0); // '<1'
 * ```
 */
export function formatMs(ms: number): string {
  return ms < 1 ? '<1' : formatNumber(ms, 0);
}

/**
 * A ratio of two measurements, to three decimals so a 2 % target reads right.
 *
 * @example
 * ```ts
 * formatRatio(0.9761); // '0.976x'
 * ```
 */
export function formatRatio(ratio: number): string {
  return `${formatNumber(ratio, 3)}x`;
}

/**
 * A percentage, to one decimal.
 *
 * @example
 * ```ts
 * formatPercent(98.76); // '98.8%'
 * ```
 */
export function formatPercent(percent: number): string {
  return `${formatNumber(percent, 1)}%`;
}

/**
 * A ratio with its spread over rounds.
 *
 * @example
 * ```ts
 * formatSpread(spreadOf([0.951, 0.976, 1.012])); // '0.976x (0.951x to 1.012x over 3 rounds)'
 * ```
 */
export function formatSpread(spread: Spread): string {
  return `${formatRatio(spread.median)} (${formatRatio(spread.min)} to ${formatRatio(spread.max)} over ${plural(spread.rounds, 'round')})`;
}

/**
 * A cost per request: thousands of instructions, or µs of CPU time.
 *
 * @example
 * ```ts
 * formatCost(650_200, 'instructions'); // '650.2k instructions'
 * ```
 */
export function formatCost(perRequest: number, unit: CostUnit): string {
  return unit === 'instructions'
    ? `${formatNumber(perRequest / 1000, 1)}k instructions`
    : `${formatNumber(perRequest, 1)} µs CPU`;
}

/**
 * A count and its noun, singular for one.
 *
 * @example
 * ```ts
 * plural(1, 'connection'); // '1 connection'
 * ```
 */
export function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * A number with thousands separators and `digits` decimals.
 *
 * @example
 * ```ts
 * formatNumber(1234.5, 1); // '1,234.5'
 * ```
 */
export function formatNumber(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
