import pgPromise from 'pg-promise';
import type { Services } from '../harness/cell.js';
import { libraryRows } from '../harness/cell.js';
import type { Probe } from '../harness/reads.js';

// pg-promise wants one library instance per process; `noWarnings` because each case makes its own database object.
const pgp = pgPromise({ noWarnings: true });
type Database = ReturnType<typeof pgp>;

const database = {
  needs: ['postgres'] as const,
  start: (services: Services) => pgp({ connectionString: services.postgres, max: 1 }),
  stop: (db: Database) => db.$pool.end(),
};

export const rows = libraryRows('pg-promise', 'pg-promise', [
  {
    key: 'query',
    mode: 'db.one awaited',
    asIs: {
      ...database,
      async request(db: Database, probe: Probe) {
        await db.one('SELECT $1::int AS id', [probe.id]);
        probe.read();
      },
    },
  },
  {
    key: 'task',
    mode: 'db.task(callback) on one connection',
    asIs: {
      ...database,
      async request(db: Database, probe: Probe) {
        await db.task(async (task) => {
          probe.read();
          await task.one('SELECT $1::int AS id', [probe.id]);
          probe.read();
        });
      },
    },
  },
]);
