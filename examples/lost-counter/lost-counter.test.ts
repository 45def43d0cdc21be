import { KeyedMutex } from 'current-attributes/lock';
import { assertNoLostUpdates, startTogether } from 'current-attributes/testing';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { type Database, openDatabase } from '../support/database.js';
import { holdReads } from '../support/hold-reads.js';
import { secondDuringFirst } from '../support/second-during-first.js';
import {
  createCounter,
  incrementAtomically,
  incrementInPlainTransaction,
  incrementNaively,
  incrementUnderAdvisoryLock,
  incrementUnderLock,
  incrementWithRowLock,
  readCounter,
} from './counter.js';

// A real server in CI; PGlite locally when PostgreSQL is not installed (the global setup says so).
const databaseUrl = inject('databaseUrl');
const onPostgres = databaseUrl !== '';
let db: Database;
beforeEach(async () => {
  db = await openDatabase(databaseUrl);
  await createCounter(db);
});
afterEach(() => db.close());

test('20 read-modify-writes released together lose 19 increments when every read comes before any write', async () => {
  const readsFirst = holdReads(db, 20);
  const outcomes = await startTogether(20, () => incrementNaively(readsFirst));
  expect(outcomes.filter(({ status }) => status === 'rejected')).toEqual([]);
  const actual = await readCounter(db);
  expect(() => assertNoLostUpdates({ what: 'the counter', expected: 20, actual })).toThrow(
    'Lost updates to the counter: expected 20, got 1 (19 of 20 lost).',
  );
});

describe('a second increment runs while the first is between its read and its write', () => {
  /** Both increments, then what the second did meanwhile and what the counter says. */
  async function race(increment: (on: Database) => Promise<void>, waitingInApp?: () => boolean) {
    const { meanwhile, first, second } = await secondDuringFirst(db, (on) => increment(on), { waitingInApp });
    expect([first.status, second.status]).toEqual(['fulfilled', 'fulfilled']);
    return { meanwhile, counter: await readCounter(db) };
  }

  test('a read-modify-write in the app loses the second increment', async () => {
    expect(await race(incrementNaively)).toEqual({ meanwhile: 'finished', counter: 1 });
  });

  test('an atomic UPDATE ... SET n = n + 1 keeps both: there is no read to come between', async () => {
    expect(await race(incrementAtomically)).toEqual({ meanwhile: 'finished', counter: 2 });
  });

  test('a keyed lock in the app keeps both: the second waits for the first to release it', async () => {
    const locks = new KeyedMutex();
    const increment = (on: Database) => incrementUnderLock(on, locks);
    expect(await race(increment, () => locks.stats.queued > 0)).toEqual({ meanwhile: 'waited for a lock', counter: 2 });
  });

  // PGlite runs one transaction at a time, so there a transaction alone already
  // serializes, and a lock inside one proves nothing: these need a real server.
  describe.skipIf(!onPostgres)('on PostgreSQL', () => {
    test('a transaction without FOR UPDATE still loses the second increment', async () => {
      expect(await race(incrementInPlainTransaction)).toEqual({ meanwhile: 'finished', counter: 1 });
    });

    test('SELECT ... FOR UPDATE keeps both: the second waits for the row lock', async () => {
      expect(await race(incrementWithRowLock)).toEqual({ meanwhile: 'waited for a lock', counter: 2 });
    });

    test('an advisory lock keeps both: the second waits for it', async () => {
      expect(await race(incrementUnderAdvisoryLock)).toEqual({ meanwhile: 'waited for a lock', counter: 2 });
    });
  });
});
