import { assertNotOversold, InvariantError, startTogether } from 'current-attributes/testing';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { type Database, openDatabase } from '../support/database.js';
import { holdReads } from '../support/hold-reads.js';
import { buyNaively, buyWithConditionalUpdate, createProduct, ordersFor, SoldOutError } from './shop.js';

let db: Database;
beforeEach(async () => {
  db = await openDatabase(inject('databaseUrl'));
  await createProduct(db, 1, 3);
});
afterEach(() => db.close());

describe('4 customers buy the last 3 items at the same moment, and every check comes before any take', () => {
  test('check-then-write sells 4', async () => {
    const everyoneChecksFirst = holdReads(db, 4);
    const outcomes = await startTogether(4, (customer) => buyNaively(everyoneChecksFirst, 1, customer));
    expect(outcomes.map(({ status }) => status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    const sold = await ordersFor(db, 1);
    expect(() => assertNotOversold({ stock: 3, sold })).toThrow(InvariantError);
  });

  test('a conditional update sells 3 and turns the fourth away', async () => {
    const everyoneChecksFirst = holdReads(db, 4);
    const outcomes = await startTogether(4, (customer) => buyWithConditionalUpdate(everyoneChecksFirst, 1, customer));
    const sold = outcomes.filter(({ status }) => status === 'fulfilled').length;
    const turnedAway = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(sold).toBe(3);
    expect(turnedAway).toEqual([expect.any(SoldOutError)]);
    assertNotOversold({ stock: 3, sold: await ordersFor(db, 1) });
  });
});
