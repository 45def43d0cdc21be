import { bind, bindCallbacks } from 'current-attributes';
import mysql from 'mysql2';
import { viaCallback } from '../harness/callback.js';
import type { Services } from '../harness/cell.js';
import { libraryRows } from '../harness/cell.js';
import type { Probe } from '../harness/reads.js';

const sql = 'SELECT ? AS id';

/** One connection for many concurrent requests (`connectionLimit: 1`), opened by the opener. */
const pool = {
  needs: ['mariadb'] as const,
  start: (services: Services) => mysql.createPool({ uri: services.mariadb, connectionLimit: 1 }),
  stop: (pool: mysql.Pool) => new Promise<void>((resolve) => pool.end(() => resolve())),
};

function queryCallback(bound: boolean) {
  return {
    ...pool,
    start: (services: Services) => {
      const made = pool.start(services);
      return bound ? bindCallbacks(made, ['query']) : made;
    },
    async request(db: mysql.Pool, probe: Probe) {
      await viaCallback<unknown>(
        (callback) => db.query(sql, [probe.id], callback),
        () => probe.read(),
      );
    },
  };
}

function getConnection(bound: boolean) {
  const maybeBind = <F extends (...args: never[]) => unknown>(fn: F) => (bound ? bind(fn) : fn);
  return {
    ...pool,
    async request(db: mysql.Pool, probe: Probe) {
      const connection = await viaCallback<mysql.PoolConnection>(
        (callback) => db.getConnection(maybeBind(callback)),
        () => probe.read(),
      );
      try {
        await viaCallback<unknown>(
          (callback) => connection.query(sql, [probe.id], maybeBind(callback)),
          () => probe.read(),
        );
      } finally {
        connection.release();
      }
    },
  };
}

export const rows = libraryRows('mysql2', 'mysql2', [
  {
    key: 'query-callback',
    mode: 'pool.query with a callback',
    asIs: queryCallback(false),
    fixed: { fix: "bindCallbacks(mysql.createPool(options), ['query'])", cell: queryCallback(true) },
  },
  {
    key: 'query-promise',
    mode: 'pool.promise().query awaited',
    asIs: {
      ...pool,
      async request(db: mysql.Pool, probe: Probe) {
        await db.promise().query(sql, [probe.id]);
        probe.read();
      },
    },
  },
  {
    key: 'get-connection',
    mode: 'pool.getConnection with a callback, query, release',
    asIs: getConnection(false),
    fixed: {
      fix: 'pool.getConnection(bind(callback)), connection.query(sql, values, bind(callback))',
      cell: getConnection(true),
    },
  },
]);
