import { Current } from './current.js';

/** What one read of `Current` saw: its own request's values, no scope at all, or another request's values. */
export type ReadOutcome = 'ok' | 'lost' | 'wrong';

/** How many reads saw each outcome. */
export interface ReadCounts {
  ok: number;
  lost: number;
  wrong: number;
}

/** The verdict of a cell, from its worst read; `error` when the cell could not be measured. */
export type Verdict = ReadOutcome | 'error';

const severity: Record<Verdict, number> = { ok: 0, lost: 1, wrong: 2, error: 3 };

/** The worse of two verdicts: wrong over lost over ok, and an error over all. */
export function worse(a: Verdict, b: Verdict): Verdict {
  return severity[a] >= severity[b] ? a : b;
}

/** The verdict the counts give: any wrong read makes it wrong, else any lost read makes it lost. */
export function verdictOf(counts: ReadCounts): ReadOutcome {
  if (counts.wrong > 0) return 'wrong';
  if (counts.lost > 0) return 'lost';
  return 'ok';
}

/** Classifies one read: `seen` is the request id Current held, `expected` the request the code ran for. */
export function classify(expected: number, seen: number | undefined): ReadOutcome {
  if (seen === expected) return 'ok';
  return seen === undefined ? 'lost' : 'wrong';
}

/** Collects every read of one case, and which requests read at all. */
export class ReadLog {
  readonly counts: ReadCounts = { ok: 0, lost: 0, wrong: 0 };
  readonly #readers = new Set<number>();

  record(expected: number, seen: number | undefined): void {
    this.counts[classify(expected, seen)] += 1;
    this.#readers.add(expected);
  }

  /** The request ids among `ids` whose code never read Current: a cell must read in every request. */
  silent(ids: readonly number[]): number[] {
    return ids.filter((id) => !this.#readers.has(id));
  }
}

/** One request's handle on the log: every callback the library calls for this request reads through it. */
export class Probe {
  constructor(
    readonly id: number,
    readonly log: ReadLog,
  ) {}

  /** Reads Current here, for this request. */
  read(): void {
    this.log.record(this.id, Current.requestId);
  }

  /** Reads Current here, for the request `expected` (a batch function serving several requests). */
  readFor(expected: number): void {
    this.log.record(expected, Current.requestId);
  }

  /** Records what Current held elsewhere (a worker thread), for this request. */
  observed(seen: number | undefined): void {
    this.log.record(this.id, seen);
  }
}
