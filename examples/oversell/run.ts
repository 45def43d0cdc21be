import { startTogether } from 'current-attributes/testing';
import { openDatabase } from '../support/database.js';
import { buyNaively, buyWithConditionalUpdate, createProduct, ordersFor } from './shop.js';

for (const [name, buy] of [
  ['check-then-write', buyNaively],
  ['conditional update', buyWithConditionalUpdate],
] as const) {
  const db = await openDatabase();
  await createProduct(db, 1, 3);
  const outcomes = await startTogether(4, (customer) => buy(db, 1, customer));
  const sold = outcomes.filter(({ status }) => status === 'fulfilled').length;
  console.log(`${name}: ${sold} of 4 customers served, ${await ordersFor(db, 1)} orders for a stock of 3`);
  await db.close();
}
