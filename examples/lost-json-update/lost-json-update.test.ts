import { injectOnce } from 'current-attributes/testing';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Database, openDatabase } from '../support/database.js';
import { addTokenNaively, addTokenWithRowLock, clock, createUser, tokensOf } from './tokens.js';

let db: Database;
beforeEach(async () => {
  db = await openDatabase();
  await createUser(db, 1);
});
afterEach(() => db.close());

/** Adds token `first`; when it reads the clock, mid-flight, a second call adds token `second`. */
async function secondCallMidFlight(addToken: typeof addTokenNaively) {
  const injection = injectOnce(clock, 'now', () => addToken(db, 1, 'second'), { mode: 'start' });
  await addToken(db, 1, 'first');
  await injection.done;
  return Object.keys(await tokensOf(db, 1)).sort();
}

describe('two requests adding a token to one JSON column', () => {
  // Deterministic on PGlite, which runs queries in the order they are sent;
  // on a server the second read may or may not see the first write.
  test.skipIf(process.env.DATABASE_URL)('read-modify-write of the whole hash drops the first token', async () => {
    expect(await secondCallMidFlight(addTokenNaively)).toEqual(['second']);
  });

  test('a row lock held from the read to the write keeps both', async () => {
    expect(await secondCallMidFlight(addTokenWithRowLock)).toEqual(['first', 'second']);
  });
});
