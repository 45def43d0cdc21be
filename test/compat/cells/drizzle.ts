import { sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Services } from '../harness/cell.js';
import { libraryRows } from '../harness/cell.js';
import { ProbeBoard } from '../harness/probes.js';
import type { Probe } from '../harness/reads.js';

interface Shared {
  readonly db: NodePgDatabase;
  readonly pool: pg.Pool;
  readonly board: ProbeBoard;
}

/** drizzle on a one-connection pg pool made at start-up, with a query logger, as apps log queries. */
const database = {
  needs: ['postgres'] as const,
  start(services: Services): Shared {
    const board = new ProbeBoard();
    const pool = new pg.Pool({ connectionString: services.postgres, max: 1 });
    const db = drizzle({ client: pool, logger: { logQuery: (_query, params) => board.readFor(params[0]) } });
    return { db, pool, board };
  },
  stop: ({ pool }: Shared) => pool.end(),
};

export const rows = libraryRows('drizzle-orm', 'drizzle-orm', [
  {
    key: 'query',
    mode: 'db.execute awaited, on node-postgres, with a logger',
    asIs: {
      ...database,
      async request({ db, board }: Shared, probe: Probe) {
        board.enter(probe);
        await db.execute(sql`SELECT ${probe.id}::int AS id`);
        probe.read();
      },
    },
  },
  {
    key: 'transaction',
    mode: 'db.transaction(callback)',
    asIs: {
      ...database,
      async request({ db, board }: Shared, probe: Probe) {
        board.enter(probe);
        await db.transaction(async (tx) => {
          probe.read();
          await tx.execute(sql`SELECT ${probe.id}::int AS id`);
          probe.read();
        });
        probe.read();
      },
    },
  },
]);
