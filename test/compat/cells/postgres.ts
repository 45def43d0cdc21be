import postgres from 'postgres';
import type { Services } from '../harness/cell.js';
import { libraryRows } from '../harness/cell.js';
import type { Probe } from '../harness/reads.js';

type Sql = postgres.Sql;

/** One connection (`max: 1`), opened by the first query: the opener's. */
const client = {
  needs: ['postgres'] as const,
  start: (services: Services) => postgres(services.postgres, { max: 1, onnotice: () => undefined }),
  stop: (sql: Sql) => sql.end({ timeout: 1 }),
};

export const rows = libraryRows('postgres', 'postgres', [
  {
    key: 'query',
    mode: 'tagged query awaited',
    asIs: {
      ...client,
      async request(sql: Sql, probe: Probe) {
        await sql`SELECT ${probe.id}::int AS id`;
        probe.read();
      },
    },
  },
  {
    key: 'begin',
    mode: 'sql.begin(callback) transaction',
    asIs: {
      ...client,
      async request(sql: Sql, probe: Probe) {
        await sql.begin(async (tx) => {
          probe.read();
          await tx`SELECT ${probe.id}::int AS id`;
          probe.read();
        });
        probe.read();
      },
    },
  },
]);
