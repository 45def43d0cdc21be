import { Current } from './current.js';

/**
 * An audit log that writes in batches from a timer. The timer is made with
 * the log, at start-up, outside any request: its callback runs in no scope,
 * where `Current.user` reads the default.
 */
export function createAuditLog(write: (line: string) => void, flushEveryMs = 1000) {
  const pending: Array<{ action: string; user?: string | undefined }> = [];
  const timer = setInterval(() => {
    for (const { action, user } of pending.splice(0)) write(`${action} by ${user ?? Current.user ?? 'nobody'}`);
  }, flushEveryMs);
  return {
    /** The bug: leaves the user to the timer's callback. */
    recordWithoutUser: (action: string) => void pending.push({ action }),
    /** The fix: reads Current while the request runs, and keeps the value with the entry. */
    record: (action: string) => void pending.push({ action, user: Current.user }),
    stop: () => clearInterval(timer),
  };
}
