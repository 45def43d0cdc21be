import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Services } from '../harness/cell.js';
import { libraryRows } from '../harness/cell.js';
import { ProbeBoard } from '../harness/probes.js';
import type { Probe } from '../harness/reads.js';

interface Shared {
  /** The matrix runs raw SQL only, against no table. */
  readonly db: Kysely<unknown>;
  readonly board: ProbeBoard;
}

/** A Kysely made at start-up on a one-connection pg pool, with a `log` function, as apps log queries. */
const database = {
  needs: ['postgres'] as const,
  start(services: Services): Shared {
    const board = new ProbeBoard();
    const db = new Kysely({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: services.postgres, max: 1 }) }),
      log: (event) => board.readFor(event.query.parameters[0]),
    });
    return { db, board };
  },
  stop: ({ db }: Shared) => db.destroy(),
};

export const rows = libraryRows('kysely', 'kysely', [
  {
    key: 'query',
    mode: 'query executed and awaited, with a log function',
    asIs: {
      ...database,
      async request({ db, board }: Shared, probe: Probe) {
        board.enter(probe);
        await sql`SELECT ${probe.id}::int AS id`.execute(db);
        probe.read();
      },
    },
  },
  {
    key: 'transaction',
    mode: 'db.transaction().execute(callback)',
    asIs: {
      ...database,
      async request({ db, board }: Shared, probe: Probe) {
        board.enter(probe);
        await db.transaction().execute(async (trx) => {
          probe.read();
          await sql`SELECT ${probe.id}::int AS id`.execute(trx);
          probe.read();
        });
        probe.read();
      },
    },
  },
]);
