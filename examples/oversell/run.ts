import { startTogether } from 'current-attributes/testing';
import { openDatabase } from '../support/database.js';
import { holdReads } from '../support/hold-reads.js';
import { databaseForExample } from '../support/postgres-server.js';
import { buyNaively, buyWithConditionalUpdate, createProduct, ordersFor } from './shop.js';

const server = await databaseForExample();
console.log('4 customers buy the last 3 items together, and every check comes before any take:');
for (const [name, buy] of [
  ['check-then-write', buyNaively],
  ['conditional update', buyWithConditionalUpdate],
] as const) {
  const db = await openDatabase(server.url);
  await createProduct(db, 1, 3);
  const everyoneChecksFirst = holdReads(db, 4);
  const outcomes = await startTogether(4, (customer) => buy(everyoneChecksFirst, 1, customer));
  const sold = outcomes.filter(({ status }) => status === 'fulfilled').length;
  console.log(`  ${name}: ${sold} of 4 customers served, ${await ordersFor(db, 1)} orders for a stock of 3`);
  await db.close();
}
await server.stop();
