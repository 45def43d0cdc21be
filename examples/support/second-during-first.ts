import { injectOnce, RaceTimeoutError } from 'current-attributes/testing';
import { afterEachQuery } from './after-each-query.js';
import type { Database } from './database.js';

/** What the second request did while the first one was paused: ran to the end, or had to wait for a lock. */
export type Meanwhile = 'finished' | 'waited for a lock';

export interface SecondDuringFirstOptions {
  /** Whether the second request waits for a lock held in the app (a `KeyedMutex`), where the database cannot see it. */
  readonly waitingInApp?: () => boolean;
  /** How long the second may take to finish or to start waiting, in ms. Default 10 000. */
  readonly timeoutMs?: number;
}

/**
 * Runs `request` twice on `db`, as the first and as the second request.
 * The first is paused right after its first statement is answered (the
 * read of a read-modify-write, or the lock it takes); meanwhile the second
 * runs until it has either finished or is waiting for a lock, seen from a
 * third connection (or in the app); then the first goes on. That is the
 * interleaving that loses an update, forced: the second runs whole between
 * the first one's read and its write, unless a lock makes it wait.
 * `injectOnce` injects the second request at that seam.
 *
 * @returns what the second did meanwhile, and how each request settled.
 * @throws {RaceTimeoutError} when the second neither finished nor waited in time (on PGlite, a second
 * transaction queues behind the first where no one can see it: run those on PostgreSQL).
 * @example
 * // Not fenced, since docs/testing.md shows this file whole inside a fence.
 * const { meanwhile } = await secondDuringFirst(db, (on) => incrementWithRowLock(on));
 * expect(meanwhile).toBe('waited for a lock'); // the second waited for the row lock
 */
export async function secondDuringFirst<T>(
  db: Database,
  request: (db: Database, which: 'first' | 'second') => Promise<T>,
  options: SecondDuringFirstOptions = {},
): Promise<{ meanwhile: Meanwhile; first: PromiseSettledResult<T>; second: PromiseSettledResult<T> }> {
  const seam = { answered: async () => undefined };
  let second: Promise<T> | undefined;
  const injection = injectOnce(seam, 'answered', () => {
    second = request(db, 'second');
    return finishedOrWaiting(db, second, options);
  });
  const paused = afterEachQuery(db, () => seam.answered());
  const [first] = await Promise.allSettled([request(paused, 'first')]);
  // Rejects when the first request ran no statement, so there was no seam to inject the second at.
  const meanwhile = (await injection.done) as Meanwhile;
  const [secondOutcome] = await Promise.allSettled([second as Promise<T>]);
  return { meanwhile, first, second: secondOutcome };
}

async function finishedOrWaiting(
  db: Database,
  running: Promise<unknown>,
  { waitingInApp = () => false, timeoutMs = 10_000 }: SecondDuringFirstOptions,
): Promise<Meanwhile> {
  let settled = false;
  running.then(
    () => (settled = true),
    () => (settled = true),
  );
  // A safety net only: the outcome never depends on how long this takes.
  const giveUpAt = performance.now() + timeoutMs;
  for (;;) {
    if (settled) return 'finished';
    if (waitingInApp() || (await db.lockWaits()) > 0) return 'waited for a lock';
    if (performance.now() > giveUpAt) {
      throw new RaceTimeoutError(
        `The second request neither finished nor waited for a lock within ${timeoutMs} ms. ` +
          (db.kind === 'pglite'
            ? 'PGlite queues a second transaction behind the first unseen: run this on PostgreSQL.'
            : ''),
      );
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}
