import { KeyedMutex } from 'current-attributes/lock';
import { startTogether } from 'current-attributes/testing';
import { openDatabase } from '../support/database.js';
import {
  createCounter,
  incrementAtomically,
  incrementNaively,
  incrementUnderLock,
  incrementWithRowLock,
  readCounter,
} from './counter.js';

const db = await openDatabase();
const locks = new KeyedMutex();
const strategies = {
  'read-modify-write in the app': incrementNaively,
  'UPDATE ... SET n = n + 1': incrementAtomically,
  'SELECT ... FOR UPDATE in a transaction': incrementWithRowLock,
  'keyed lock around the naive code': (on: typeof db, id: number) => incrementUnderLock(on, locks, id),
};
for (const [id, [name, increment]] of Object.entries(strategies).entries()) {
  await createCounter(db, id);
  await startTogether(20, () => increment(db, id));
  console.log(`${name}: ${await readCounter(db, id)} of 20 increments landed`);
}
await db.close();
