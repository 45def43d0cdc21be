import { bind, bindCallbacks } from 'current-attributes';
import pg from 'pg';
import { type Callback, viaCallback } from '../harness/callback.js';
import type { Services } from '../harness/cell.js';
import { libraryRows } from '../harness/cell.js';
import type { Probe } from '../harness/reads.js';

const sql = 'SELECT $1::int AS id';
type Result = pg.QueryResult<{ id: number }>;

/** One connection for many concurrent requests: every request but one waits in the pool's queue. */
const pool = {
  needs: ['postgres'] as const,
  start: (services: Services) => new pg.Pool({ connectionString: services.postgres, max: 1 }),
  stop: (pool: pg.Pool) => pool.end(),
};

const wrap =
  (bound: boolean) =>
  <F extends (...args: never[]) => unknown>(fn: F): F =>
    bound ? bind(fn) : fn;

function queryCallback(bound: boolean) {
  return {
    ...pool,
    start: (services: Services) => {
      const made = pool.start(services);
      return bound ? bindCallbacks(made, ['query']) : made;
    },
    async request(db: pg.Pool, probe: Probe) {
      await viaCallback<Result>(
        (callback) => db.query(sql, [probe.id], callback),
        () => probe.read(),
      );
    },
  };
}

function connectRelease(bound: boolean) {
  const maybeBind = wrap(bound);
  return {
    ...pool,
    async request(db: pg.Pool, probe: Probe) {
      const [client, release] = await new Promise<[pg.PoolClient, () => void]>((resolve, reject) =>
        db.connect(
          maybeBind((error: Error | undefined, client: pg.PoolClient | undefined, release: () => void) => {
            if (error || client === undefined) return reject(error);
            probe.read();
            resolve([client, release]);
          }),
        ),
      );
      try {
        await viaCallback<Result>(
          (callback: Callback<Result>) => client.query(sql, [probe.id], maybeBind(callback)),
          () => probe.read(),
        );
      } finally {
        release();
      }
    },
  };
}

export const rows = libraryRows('pg', 'pg', [
  {
    key: 'query-callback',
    mode: 'Pool.query with a callback',
    asIs: queryCallback(false),
    fixed: { fix: "bindCallbacks(new pg.Pool(options), ['query'])", cell: queryCallback(true) },
  },
  {
    key: 'query-promise',
    mode: 'Pool.query awaited',
    asIs: {
      ...pool,
      async request(db: pg.Pool, probe: Probe) {
        await db.query(sql, [probe.id]);
        probe.read();
      },
    },
  },
  {
    key: 'connect-callback',
    mode: 'pool.connect with a callback, client.query, release',
    asIs: connectRelease(false),
    fixed: {
      fix: 'pool.connect(bind(callback)), client.query(sql, values, bind(callback))',
      cell: connectRelease(true),
    },
  },
  {
    key: 'connect-promise',
    mode: 'pool.connect awaited, client.query awaited, release',
    asIs: {
      ...pool,
      async request(db: pg.Pool, probe: Probe) {
        const client = await db.connect();
        probe.read();
        try {
          await client.query(sql, [probe.id]);
          probe.read();
        } finally {
          client.release();
        }
      },
    },
  },
]);
