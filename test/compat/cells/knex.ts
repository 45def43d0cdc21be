import knex, { type Knex } from 'knex';
import type { Services } from '../harness/cell.js';
import { libraryRows } from '../harness/cell.js';
import { ProbeBoard } from '../harness/probes.js';
import type { Probe } from '../harness/reads.js';

/** A knex made at start-up on one connection, with a listener for every answered query, as apps log them. */
interface Shared {
  readonly db: Knex;
  readonly board: ProbeBoard;
}

const database = {
  needs: ['postgres'] as const,
  start(services: Services): Shared {
    const db = knex({ client: 'pg', connection: services.postgres, pool: { min: 0, max: 1 } });
    const board = new ProbeBoard();
    // Made at start-up; the query's bindings say whose it is.
    db.on('query-response', (_response: unknown, query: { bindings?: unknown[] }) =>
      board.readFor(query.bindings?.[0]),
    );
    return { db, board };
  },
  stop: ({ db }: Shared) => db.destroy(),
};

export const rows = libraryRows('knex', 'knex', [
  {
    key: 'query',
    mode: 'query builder awaited',
    asIs: {
      ...database,
      async request({ db, board }: Shared, probe: Probe) {
        board.enter(probe);
        await db.select(db.raw('?::int AS id', [probe.id]));
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
        await db.transaction(async (trx) => {
          probe.read();
          await trx.select(trx.raw('?::int AS id', [probe.id]));
          probe.read();
        });
        probe.read();
      },
    },
  },
]);
