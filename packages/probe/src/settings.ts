import type { RequestTemplateSource } from './request-template.js';
import type { RuleSource } from './rule.js';

/** Everything one probe run needs, as read from the command line. */
export interface ProbeSettings {
  /** The URL as given; its path and query may hold `{field}` placeholders. */
  readonly url: string;
  /** Scheme, host and port: where every request goes, and nowhere else. */
  readonly origin: string;
  readonly request: RequestTemplateSource;
  /** Users from a CSV or JSON lines file, or `generate` users whose only field is `i`. */
  readonly identities: { readonly file: string } | { readonly generate: number };
  readonly rule: RuleSource;
  /** One measured run per count, in order. */
  readonly connections: readonly number[];
  /** Seconds each run lasts; with `requests`, the longest it may take. */
  readonly durationSeconds: number;
  /** Requests per run, instead of a duration. */
  readonly requests: number | undefined;
  /** The most requests a second, over all connections. */
  readonly ratePerSecond: number | undefined;
  /** Seconds of load before the first run, at the largest connection count; its answers are checked too. */
  readonly warmupSeconds: number;
  /** Seconds one request may take before it counts as a timeout. */
  readonly timeoutSeconds: number;
  /** How many leaked (and unmatched) answers to show in full. */
  readonly examples: number;
  /** Print JSON for machines instead of the table. */
  readonly json: boolean;
}

/**
 * The defaults and bounds of the probe's settings: every run ends, in time
 * and in count, whatever is passed.
 *
 * @example
 * ```ts
 * PROBE_LIMITS.connections.default; // [1, 10, 50]
 * ```
 */
export const PROBE_LIMITS = {
  connections: { default: [1, 10, 50], max: 10_000, maxRuns: 20 },
  durationSeconds: { default: 10, max: 3600, withRequests: 600 },
  requests: { max: 10_000_000 },
  ratePerSecond: { max: 1_000_000 },
  warmupSeconds: { default: 0, max: 600 },
  timeoutSeconds: { default: 10, max: 600 },
  generate: { default: 1000, min: 2, max: 100_000 },
  examples: { default: 3, max: 100 },
} as const;
