import { requestSignal } from 'current-attributes';
import { currentMiddleware } from 'current-attributes/express';
import { createDeferred } from 'current-attributes/testing';
import express from 'express';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { listen, type RunningServer } from '../../test/support/listen.js';
import { rawClient } from '../../test/support/raw-client.js';
import { queryUntilAborted } from './cancel-query.js';

const databaseUrl = inject('databaseUrl');

// pg_sleep and pg_cancel_backend need a real PostgreSQL server (CI has one; PGlite has neither).
describe.skipIf(databaseUrl === '')('a client hanging up cancels the PostgreSQL query its request runs', () => {
  let pool: pg.Pool;
  let server: RunningServer;
  const outcome = { current: createDeferred<string>() };

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    const app = express();
    app.use(currentMiddleware());
    app.get('/naive', async (_req, res) => {
      try {
        await pool.query("SELECT pg_sleep(30), 'naive'");
        outcome.current.resolve('finished');
      } catch (error) {
        outcome.current.resolve(String((error as { code?: string }).code));
      }
      res.end();
    });
    app.get('/report', async (_req, res) => {
      try {
        await queryUntilAborted(pool, requestSignal(), "SELECT pg_sleep(30), 'report'");
        outcome.current.resolve('finished');
      } catch (error) {
        outcome.current.resolve(String((error as { code?: string }).code));
      }
      res.end();
    });
    server = await listen(app);
  });

  afterAll(async () => {
    await server?.close();
    await pool?.end();
  });

  /** The pid of the backend running the query tagged `tag`, once it runs. */
  async function running(tag: string): Promise<number> {
    for (;;) {
      const { rows } = await pool.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()",
        [`%pg_sleep(30), '${tag}'%`],
      );
      if (rows[0] !== undefined) return rows[0].pid;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function hangUpWhileRunning(path: string, tag: string): Promise<number> {
    const client = await rawClient(server.url);
    client.write(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`);
    const pid = await running(tag);
    await client.hangUp();
    return pid;
  }

  test('without the signal, the query runs on after the client left (naive)', async () => {
    outcome.current = createDeferred<string>();
    const pid = await hangUpWhileRunning('/naive', 'naive');
    // The server has seen the hang-up once a request after it is answered; the query is still there.
    await fetch(`${server.url}/nothing`);
    expect(await running('naive')).toBe(pid);
    await pool.query('SELECT pg_cancel_backend($1)', [pid]);
    expect(await outcome.current.promise).toBe('57014');
  });

  test('with requestSignal(), PostgreSQL cancels the query: it fails with 57014 (query_canceled)', async () => {
    outcome.current = createDeferred<string>();
    await hangUpWhileRunning('/report', 'report');
    expect(await outcome.current.promise).toBe('57014');
  });
});
