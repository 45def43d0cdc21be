import type { KeyedMutex } from 'current-attributes/lock';
import type { Database } from '../support/database.js';

export async function createCounter(db: Database, id = 1): Promise<void> {
  await db.query('create table if not exists counters (id int primary key, n int not null)');
  await db.query('insert into counters (id, n) values ($1, 0)', [id]);
}

export async function readCounter(db: Database, id = 1): Promise<number> {
  const [row] = await db.query<{ n: number }>('select n from counters where id = $1', [id]);
  return row?.n ?? 0;
}

/** The bug: read, add one in the app, write back. Two at once both read n and both write n + 1. */
export async function incrementNaively(db: Database, id = 1): Promise<void> {
  const n = await readCounter(db, id);
  await db.query('update counters set n = $1 where id = $2', [n + 1, id]);
}

/** Fix 1, the best one: let the database add one, atomically. */
export async function incrementAtomically(db: Database, id = 1): Promise<void> {
  await db.query('update counters set n = n + 1 where id = $1', [id]);
}

/** Fix 2: a transaction that locks the row while it reads, so the next reader waits for the write. */
export async function incrementWithRowLock(db: Database, id = 1): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ n: number }>('select n from counters where id = $1 for update', [id]);
    await tx.query('update counters set n = $1 where id = $2', [(row?.n ?? 0) + 1, id]);
  });
}

/**
 * Fix 3: the naive read-modify-write in a transaction that first takes an
 * advisory lock named after the counter, held until commit. A lock every
 * process and server shares, for when no single row stands for what is locked.
 */
export async function incrementUnderAdvisoryLock(db: Database, id = 1): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(hashtext('counters'), $1)", [id]);
    const [row] = await tx.query<{ n: number }>('select n from counters where id = $1', [id]);
    await tx.query('update counters set n = $1 where id = $2', [(row?.n ?? 0) + 1, id]);
  });
}

/** Not a fix: a transaction without the row lock still reads a value another transaction is about to change. */
export async function incrementInPlainTransaction(db: Database, id = 1): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ n: number }>('select n from counters where id = $1', [id]);
    await tx.query('update counters set n = $1 where id = $2', [(row?.n ?? 0) + 1, id]);
  });
}

/** Fix 4: the naive code behind a keyed lock, for one process (or a Redis-backed KeyedMutex for many). */
export function incrementUnderLock(db: Database, locks: KeyedMutex, id = 1): Promise<void> {
  return locks.withLock(`counter:${id}`, () => incrementNaively(db, id));
}
