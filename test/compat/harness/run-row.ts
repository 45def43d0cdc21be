import type { Row, Services } from './cell.js';
import { type ReadCounts, type Verdict, worse } from './reads.js';
import { type CaseOptions, type CaseResult, type OpenerCase, runCase } from './run-case.js';

/** What one row measured on one runtime: the worse of its two cases, and the reads of both. */
export interface RowResult {
  readonly id: string;
  readonly verdict: Verdict;
  readonly reads: ReadCounts;
  readonly cases: Readonly<Record<OpenerCase, CaseResult>>;
}

/** Runs both cases of a row, the opener finished and the opener still running, and reports the worse. */
export async function runRow(row: Row, services: Services, options: CaseOptions): Promise<RowResult> {
  const finished = await runCase(row, services, 'finished', options);
  const running = await runCase(row, services, 'running', options);
  return {
    id: row.id,
    verdict: worse(finished.verdict, running.verdict),
    reads: {
      ok: finished.reads.ok + running.reads.ok,
      lost: finished.reads.lost + running.reads.lost,
      wrong: finished.reads.wrong + running.reads.wrong,
    },
    cases: { finished, running },
  };
}

/** The result of a row that could not run at all (its server did not start). */
export function unmeasured(id: string, error: string): RowResult {
  const reads = { ok: 0, lost: 0, wrong: 0 };
  const failed: CaseResult = { verdict: 'error', reads, error };
  return { id, verdict: 'error', reads, cases: { finished: failed, running: failed } };
}
