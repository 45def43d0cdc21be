/** A siege-style summary of a load run: every answer was checked against the request that caused it. */
export interface LoadSummary {
  /** Answers received, of any status. */
  readonly transactions: number;
  /** 2xx answers that belonged to their request. */
  readonly successful: number;
  /** 2xx answers that carried another request's data: the leaks. */
  readonly leaked: number;
  /** 2xx answers that carried neither their own request's data nor another's (only `classify` tells these apart). */
  readonly unmatched: number;
  /** Non-2xx answers, connection errors and timeouts. */
  readonly failed: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Percentage of requests answered 2xx (leaked or not), of all attempts. */
  readonly availabilityPercent: number;
  /** Percentage of 2xx answers that leaked. */
  readonly leakPercent: number;
  readonly requestsPerSecond: number;
  readonly elapsedSeconds: number;
  /** Latency percentiles, in ms. */
  readonly latencyMs: {
    readonly mean: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
}

/**
 * What a 2xx answer turned out to be: the asking request's own data, another
 * request's data (a leak), or data that belongs to no request at all.
 *
 * @example
 * ```ts
 * const verdict: AnswerVerdict = body === expected ? 'own' : 'leaked';
 * ```
 */
export type AnswerVerdict = 'own' | 'leaked' | 'unmatched';

/** How many 2xx answers got each verdict. */
export type VerdictCounts = Record<AnswerVerdict, number>;

/** The part of autocannon's result a summary is made of. */
export interface AutocannonResult {
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly latency: Readonly<Record<'average' | 'p50' | 'p90' | 'p99' | 'max', number>>;
}

const percent = (part: number, whole: number) => (whole === 0 ? 0 : (100 * part) / whole);

/**
 * Combines autocannon's counts and latencies with the verdicts on the 2xx
 * answers into a `LoadSummary`.
 *
 * @example
 * ```ts
 * const summary = summarizeLoad(await instance, { own: 97, leaked: 3, unmatched: 0 });
 * summary.leakPercent; // 3
 * ```
 */
export function summarizeLoad(result: AutocannonResult, counts: VerdictCounts): LoadSummary {
  const ok = counts.own + counts.leaked + counts.unmatched;
  const failed = result.non2xx + result.errors;
  return {
    transactions: ok + result.non2xx,
    successful: counts.own,
    leaked: counts.leaked,
    unmatched: counts.unmatched,
    failed,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    availabilityPercent: percent(ok, ok + failed),
    leakPercent: percent(counts.leaked, ok),
    requestsPerSecond: result.duration > 0 ? (ok + result.non2xx) / result.duration : 0,
    elapsedSeconds: result.duration,
    latencyMs: {
      mean: result.latency.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
  };
}
