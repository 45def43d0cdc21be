import type { Pool, QueryResult } from 'pg';

/**
 * Runs `text` on a client of `pool` and cancels it on the server when
 * `signal` aborts (the request's client hung up, its deadline passed): pg has
 * no signal option, so a second connection asks PostgreSQL to cancel the
 * first one's query with `pg_cancel_backend`, and the query rejects with
 * SQLSTATE 57014 (query_canceled).
 */
export async function queryUntilAborted(
  pool: Pool,
  signal: AbortSignal | undefined,
  text: string,
  values: unknown[] = [],
): Promise<QueryResult> {
  signal?.throwIfAborted();
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const pid = rows[0]?.pid;
    const cancel = () => void pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await client.query(text, values);
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  } finally {
    client.release();
  }
}
