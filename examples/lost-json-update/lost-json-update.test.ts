import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { type Database, openDatabase } from '../support/database.js';
import { secondDuringFirst } from '../support/second-during-first.js';
import { addTokenAtomically, addTokenNaively, addTokenWithRowLock, createUser, tokensOf } from './tokens.js';

// A real server in CI; PGlite locally when PostgreSQL is not installed (the global setup says so).
const databaseUrl = inject('databaseUrl');
let db: Database;
beforeEach(async () => {
  db = await openDatabase(databaseUrl);
  await createUser(db, 1);
});
afterEach(() => db.close());

/** Adds token `first`; between its read and its write, a second request adds token `second`. */
async function secondRequestMidFlight(addToken: typeof addTokenNaively) {
  const { meanwhile, first, second } = await secondDuringFirst(db, (on, which) => addToken(on, 1, which));
  expect([first.status, second.status]).toEqual(['fulfilled', 'fulfilled']);
  return { meanwhile, tokens: Object.keys(await tokensOf(db, 1)).sort() };
}

describe('two requests adding a token to one JSON column', () => {
  test("read-modify-write of the whole hash drops the second request's token", async () => {
    expect(await secondRequestMidFlight(addTokenNaively)).toEqual({ meanwhile: 'finished', tokens: ['first'] });
  });

  test('merging the one key in the UPDATE keeps both', async () => {
    expect(await secondRequestMidFlight(addTokenAtomically)).toEqual({
      meanwhile: 'finished',
      tokens: ['first', 'second'],
    });
  });

  // On PGlite, one transaction at a time: the second would queue unseen, and prove nothing.
  test.skipIf(databaseUrl === '')(
    'on PostgreSQL, a row lock held from the read to the write keeps both: the second waits for it',
    async () => {
      expect(await secondRequestMidFlight(addTokenWithRowLock)).toEqual({
        meanwhile: 'waited for a lock',
        tokens: ['first', 'second'],
      });
    },
  );
});
