import { Current, time } from './rails-current.js';

/** A job as a queue stores it: plain data, with the enqueuing request's Current beside the arguments. */
export interface StoredJob {
  readonly report: string;
  readonly current: ReturnType<typeof Current.serialize>;
}

/** Sidekiq's `CurrentAttributes.persist`, enqueuing side: save the request's values with the job. */
export function enqueueReport(queue: StoredJob[], report: string): void {
  queue.push(structuredClone({ report, current: Current.serialize() }));
}

/** And the worker's side: run the job in a fresh scope holding those values again, set through the setters. */
export function performReport(job: StoredJob) {
  return Current.restore(job.current, () => ({
    report: job.report,
    user: Current.user?.name,
    account: Current.account?.name,
    timeZone: time.zone,
  }));
}
