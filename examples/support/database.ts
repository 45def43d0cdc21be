import { randomBytes } from 'node:crypto';
import { once } from 'node:events';

/** What the examples need of a SQL database: queries, and transactions on one connection. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  /** Runs `fn` in a transaction (BEGIN ... COMMIT, ROLLBACK if it throws) on one connection. */
  transaction<R>(fn: (tx: Queryable) => Promise<R>): Promise<R>;
  close(): Promise<void>;
  /**
   * How many of this database's connections are waiting for a lock (a row
   * lock, an advisory lock) right now, seen from another connection. Always
   * 0 on PGlite: its one connection never waits, it queues.
   */
  lockWaits(): Promise<number>;
  /**
   * `'pglite'`: embedded PostgreSQL (PGlite), one connection, which runs one
   * transaction at a time and queues every other query behind it.
   * `'postgresql'`: a real server, with a pool of connections that run
   * concurrently, row locks and all.
   */
  readonly kind: 'pglite' | 'postgresql';
}

/**
 * Opens the examples' database: the PostgreSQL server at `url` (default
 * `DATABASE_URL`), where each call gets its own schema, dropped on close;
 * else an in-memory PGlite, so nothing has to be installed.
 *
 * @example
 * ```ts
 * const db = await openDatabase(inject('databaseUrl'));
 * await db.query('create table counters (id int primary key, n int not null)');
 * ```
 */
export async function openDatabase(url = process.env.DATABASE_URL): Promise<Database> {
  return url ? openPostgres(url) : openPglite();
}

async function openPglite(): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create();
  const query = async <Row>(on: { query: typeof db.query }, sql: string, params?: unknown[]) =>
    (await on.query<Row>(sql, params)).rows;
  return {
    kind: 'pglite',
    query: (sql, params) => query(db, sql, params),
    transaction: (fn) => db.transaction((tx) => fn({ query: (sql, params) => query(tx, sql, params) })),
    close: () => db.close(),
    lockWaits: async () => 0,
  };
}

async function openPostgres(url: string): Promise<Database> {
  const { default: pg } = await import('pg');
  const schema = `example_${randomBytes(6).toString('hex')}`;
  // Enough connections for every example's concurrent transactions to be
  // open at once; named after the schema, so lockWaits counts only ours.
  const pool = new pg.Pool({
    connectionString: url,
    max: 25,
    application_name: schema,
    options: `-c search_path=${schema}`,
  });
  // pool.end() resolves before its connections have closed; close() waits
  // for them, so a server stopped right after sees no client still there.
  const disconnected: Promise<unknown>[] = [];
  pool.on('connect', (client) => disconnected.push(once(client, 'end')));
  await pool.query(`create schema ${schema}`);
  return {
    kind: 'postgresql',
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({ query: async (sql, params) => (await client.query(sql, params)).rows });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    },
    async lockWaits() {
      const [row] = (
        await pool.query<{ waiting: number }>(
          "select count(*)::int as waiting from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'",
          [schema],
        )
      ).rows;
      return row?.waiting ?? 0;
    },
    async close() {
      await pool.query(`drop schema ${schema} cascade`);
      await pool.end();
      await Promise.all(disconnected);
    },
  };
}
