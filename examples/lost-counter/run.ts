import { KeyedMutex } from 'current-attributes/lock';
import { type Database, openDatabase } from '../support/database.js';
import { databaseForExample } from '../support/postgres-server.js';
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

const server = await databaseForExample();
const db = await openDatabase(server.url);
const locks = new KeyedMutex();
const strategies: Array<[string, (on: Database, id: number) => Promise<void>, 'transaction'?]> = [
  ['read-modify-write in the app', incrementNaively],
  ['read-modify-write in a transaction', incrementInPlainTransaction, 'transaction'],
  ['UPDATE ... SET n = n + 1', incrementAtomically],
  ['SELECT ... FOR UPDATE in a transaction', incrementWithRowLock, 'transaction'],
  ['advisory lock in a transaction', incrementUnderAdvisoryLock, 'transaction'],
  ['keyed lock around the naive code', (on, id) => incrementUnderLock(on, locks, id)],
];
console.log('A second increment runs while the first is between its read and its write:');
for (const [id, [name, increment, needs]] of strategies.entries()) {
  if (needs === 'transaction' && db.kind === 'pglite') {
    console.log(`  ${name}: skipped, PGlite never runs two transactions at once`);
    continue;
  }
  await createCounter(db, id);
  const { meanwhile } = await secondDuringFirst(db, (on) => increment(on, id), {
    waitingInApp: () => locks.stats.queued > 0,
  });
  console.log(`  ${name}: the second ${meanwhile}; ${await readCounter(db, id)} of 2 increments landed`);
}
await db.close();
await server.stop();
