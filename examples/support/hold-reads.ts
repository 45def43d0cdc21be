import { createLatch } from 'current-attributes/testing';
import type { Database, Queryable } from './database.js';

/**
 * Wraps `db` so that each SELECT, once answered, waits until `count` SELECTs
 * have been answered: every read happens before any write. It forces the
 * interleaving that breaks a read-modify-write, on PGlite and on a real
 * server alike. Only for code that does not lock: a reader that holds a lock
 * would keep the others from ever reading.
 */
export function holdReads(db: Database, count: number): Database {
  const allRead = createLatch(count);
  const held = (on: Queryable): Queryable => ({
    async query(sql, params) {
      const rows = await on.query(sql, params);
      if (/^\s*select/i.test(sql)) {
        allRead.countDown();
        await allRead.wait();
      }
      return rows as never;
    },
  });
  return { ...db, ...held(db), transaction: (fn) => db.transaction((tx) => fn(held(tx))) };
}
