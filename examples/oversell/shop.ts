import type { Database } from '../support/database.js';

export class SoldOutError extends Error {
  override name = 'SoldOutError';
}

export async function createProduct(db: Database, id: number, stock: number): Promise<void> {
  await db.query('create table if not exists products (id int primary key, stock int not null)');
  await db.query(
    'create table if not exists orders (id serial primary key, product int not null, customer int not null)',
  );
  await db.query('insert into products (id, stock) values ($1, $2)', [id, stock]);
}

export async function ordersFor(db: Database, product: number): Promise<number> {
  const [row] = await db.query<{ count: string | number }>('select count(*) as count from orders where product = $1', [
    product,
  ]);
  return Number(row?.count ?? 0);
}

/** The bug: check the stock, then take one. Everyone who checks before anyone takes sees stock left. */
export async function buyNaively(db: Database, product: number, customer: number): Promise<void> {
  const [row] = await db.query<{ stock: number }>('select stock from products where id = $1', [product]);
  if (!row || row.stock <= 0) throw new SoldOutError(`Product ${product} is sold out.`);
  await db.query('update products set stock = stock - 1 where id = $1', [product]);
  await db.query('insert into orders (product, customer) values ($1, $2)', [product, customer]);
}

/** The fix: take one only if one is left, in a single statement. */
export async function buyWithConditionalUpdate(db: Database, product: number, customer: number): Promise<void> {
  const taken = await db.query('update products set stock = stock - 1 where id = $1 and stock > 0 returning stock', [
    product,
  ]);
  if (taken.length === 0) throw new SoldOutError(`Product ${product} is sold out.`);
  await db.query('insert into orders (product, customer) values ($1, $2)', [product, customer]);
}
