import { injectOnce } from 'current-attributes/testing';
import { openDatabase } from '../support/database.js';
import { addTokenNaively, addTokenWithRowLock, clock, createUser, tokensOf } from './tokens.js';

for (const [name, addToken] of [
  ['naive read-modify-write', addTokenNaively],
  ['row lock in a transaction', addTokenWithRowLock],
] as const) {
  const db = await openDatabase();
  await createUser(db, 1);
  const injection = injectOnce(clock, 'now', () => addToken(db, 1, 'second'), { mode: 'start' });
  await addToken(db, 1, 'first');
  await injection.done;
  console.log(`${name}: tokens after both calls: ${Object.keys(await tokensOf(db, 1)).join(', ')}`);
  await db.close();
}
