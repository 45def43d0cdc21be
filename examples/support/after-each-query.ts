import type { Database, Queryable } from './database.js';

/**
 * Wraps `db` so that each query, once answered, awaits `hook(sql)` before
 * its caller sees the rows: a seam between a read and the write that
 * follows it, in transactions too. The code under test gets the wrapped
 * database and does not know.
 *
 * @example
 * ```ts
 * const paused = afterEachQuery(db, () => firstReadDone.promise);
 * ```
 */
export function afterEachQuery(db: Database, hook: (sql: string) => Promise<void> | void): Database {
  const wrap = (on: Queryable): Queryable => ({
    async query(sql, params) {
      const rows = await on.query(sql, params);
      await hook(sql);
      return rows as never;
    },
  });
  return { ...db, ...wrap(db), transaction: (fn) => db.transaction((tx) => fn(wrap(tx))) };
}
