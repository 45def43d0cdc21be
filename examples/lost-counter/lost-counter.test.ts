import { KeyedMutex } from 'current-attributes/lock';
import { assertNoLostUpdates, InvariantError, startTogether } from 'current-attributes/testing';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Database, openDatabase } from '../support/database.js';
import { holdReads } from '../support/hold-reads.js';
import {
  createCounter,
  incrementAtomically,
  incrementInPlainTransaction,
  incrementNaively,
  incrementUnderLock,
  incrementWithRowLock,
  readCounter,
} from './counter.js';

const REQUESTS = 20;
let db: Database;
beforeEach(async () => {
  db = await openDatabase();
  await createCounter(db);
});
afterEach(() => db.close());

/** Runs `increment` 20 times at once, then checks that all 20 increments landed. */
async function twentyAtOnce(increment: () => Promise<void>) {
  const outcomes = await startTogether(REQUESTS, increment);
  expect(outcomes.filter(({ status }) => status === 'rejected')).toEqual([]);
  assertNoLostUpdates({ what: 'the counter', expected: REQUESTS, actual: await readCounter(db) });
}

describe('20 concurrent increments of one counter', () => {
  test('a read-modify-write in the app loses all but one when every read comes before any write', async () => {
    const readsFirst = holdReads(db, REQUESTS);
    await expect(twentyAtOnce(() => incrementNaively(readsFirst))).rejects.toThrow(
      'Lost updates to the counter: expected 20, got 1 (19 of 20 lost).',
    );
  });

  const locks = new KeyedMutex();
  test.each([
    ['an atomic UPDATE ... SET n = n + 1', () => incrementAtomically(db)],
    ['a transaction with SELECT ... FOR UPDATE', () => incrementWithRowLock(db)],
    ['a keyed lock around the naive code', () => incrementUnderLock(db, locks)],
  ])('%s loses none', async (_fix, increment) => {
    await twentyAtOnce(increment);
  });

  // PGlite runs one transaction at a time, so there a transaction alone
  // already serializes; only a real server shows what FOR UPDATE adds.
  test.runIf(process.env.DATABASE_URL)(
    'on PostgreSQL, a transaction without FOR UPDATE still loses updates',
    async () => {
      const readsFirst = holdReads(db, REQUESTS);
      await expect(twentyAtOnce(() => incrementInPlainTransaction(readsFirst))).rejects.toThrow(InvariantError);
    },
  );
});
