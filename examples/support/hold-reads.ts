import { createLatch } from 'current-attributes/testing';
import { afterEachQuery } from './after-each-query.js';
import type { Database } from './database.js';

/**
 * Wraps `db` so that each SELECT, once answered, waits until `count` SELECTs
 * have been answered: every read happens before any write. It forces the
 * interleaving that breaks a read-modify-write, on PGlite and on a real
 * server alike. Only for code that does not lock: a reader that holds a lock
 * would keep the others from ever reading.
 *
 * @example
 * ```ts
 * const everyoneChecksFirst = holdReads(db, 4);
 * await startTogether(4, (customer) => buyNaively(everyoneChecksFirst, 1, customer));
 * ```
 */
export function holdReads(db: Database, count: number): Database {
  const allRead = createLatch(count);
  return afterEachQuery(db, async (sql) => {
    if (!/^\s*select/i.test(sql)) return;
    allRead.countDown();
    await allRead.wait();
  });
}
