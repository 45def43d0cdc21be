import type { Database } from '../support/database.js';

export async function createUser(db: Database, id: number): Promise<void> {
  await db.query("create table if not exists users (id int primary key, tokens jsonb not null default '{}')");
  await db.query('insert into users (id) values ($1)', [id]);
}

export async function tokensOf(db: Database, id: number): Promise<Record<string, string>> {
  const [row] = await db.query<{ tokens: Record<string, string> }>('select tokens from users where id = $1', [id]);
  return row?.tokens ?? {};
}

/** The bug: read the whole hash, add a token in the app, write the whole hash back. */
export async function addTokenNaively(db: Database, id: number, name: string): Promise<void> {
  const tokens = await tokensOf(db, id);
  tokens[name] = new Date().toISOString();
  await db.query('update users set tokens = $1 where id = $2', [JSON.stringify(tokens), id]);
}

/** Fix 1, the best one: let the database add the one key to the hash, in one statement. */
export async function addTokenAtomically(db: Database, id: number, name: string): Promise<void> {
  await db.query('update users set tokens = tokens || jsonb_build_object($1::text, $2::text) where id = $3', [
    name,
    new Date().toISOString(),
    id,
  ]);
}

/** Fix 2: the naive code, in a transaction that locks the row from the read to the write. */
export async function addTokenWithRowLock(db: Database, id: number, name: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ tokens: Record<string, string> }>(
      'select tokens from users where id = $1 for update',
      [id],
    );
    const tokens = { ...row?.tokens, [name]: new Date().toISOString() };
    await tx.query('update users set tokens = $1 where id = $2', [JSON.stringify(tokens), id]);
  });
}
