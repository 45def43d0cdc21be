import type { Spread } from './aggregate.js';
import type { CostUnit } from './cost/measure.js';

// One format per kind of number, for the table, the targets and the chart alike.

/** A count or rate: whole, with thousands separators ("12,345"). */
export function formatCount(value: number): string {
  return formatNumber(value, 0);
}

/** A latency from autocannon, whose resolution is one millisecond: "<1" below it. */
export function formatMs(ms: number): string {
  return ms < 1 ? '<1' : formatNumber(ms, 0);
}

/** A ratio of two measurements, to three decimals so a 2 % target reads right ("0.976x"). */
export function formatRatio(ratio: number): string {
  return `${formatNumber(ratio, 3)}x`;
}

export function formatPercent(percent: number): string {
  return `${formatNumber(percent, 1)}%`;
}

/** A ratio with its spread over rounds: "0.976x (0.951x to 1.012x over 3 rounds)". */
export function formatSpread(spread: Spread): string {
  return `${formatRatio(spread.median)} (${formatRatio(spread.min)} to ${formatRatio(spread.max)} over ${plural(spread.rounds, 'round')})`;
}

/** A cost per request: thousands of instructions, or µs of CPU time. */
export function formatCost(perRequest: number, unit: CostUnit): string {
  return unit === 'instructions'
    ? `${formatNumber(perRequest / 1000, 1)}k instructions`
    : `${formatNumber(perRequest, 1)} µs CPU`;
}

/** "1 connection", "10 connections". */
export function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
}

export function formatNumber(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
