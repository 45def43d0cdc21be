import { openDatabase } from '../support/database.js';
import { databaseForExample } from '../support/postgres-server.js';
import { secondDuringFirst } from '../support/second-during-first.js';
import { addTokenAtomically, addTokenNaively, addTokenWithRowLock, createUser, tokensOf } from './tokens.js';

const server = await databaseForExample();
console.log('Request "second" adds its token while request "first" is between its read and its write:');
for (const [name, addToken] of [
  ['naive read-modify-write', addTokenNaively],
  ['one-key merge in the UPDATE', addTokenAtomically],
  ['row lock in a transaction', addTokenWithRowLock],
] as const) {
  const db = await openDatabase(server.url);
  if (addToken === addTokenWithRowLock && db.kind === 'pglite') {
    console.log(`  ${name}: skipped, PGlite never runs two transactions at once`);
  } else {
    await createUser(db, 1);
    const { meanwhile } = await secondDuringFirst(db, (on, which) => addToken(on, 1, which));
    console.log(`  ${name}: the second ${meanwhile}; tokens kept: ${Object.keys(await tokensOf(db, 1)).join(', ')}`);
  }
  await db.close();
}
await server.stop();
