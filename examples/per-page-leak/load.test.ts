import { loadAndVerify } from 'current-attributes/testing';
import { expect, test } from 'vitest';
import { createCurrentApp } from './app.js';

test('Current never serves a page size to the wrong request under sustained load', async () => {
  const summary = await loadAndVerify({
    app: createCurrentApp(),
    connections: 20,
    amount: 2000,
    request: (i) => ({ path: `/items?per_page=${(i % 50) + 1}`, expected: String((i % 50) + 1) }),
    verify: (body, expected) => String(JSON.parse(body).perPage) === expected,
  });
  expect(summary).toMatchObject({ transactions: 2000, leaked: 0, failed: 0, availabilityPercent: 100 });
});
