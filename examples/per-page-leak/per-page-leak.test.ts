import { createBarrier, trackConcurrency } from 'current-attributes/testing';
import type { Express } from 'express';
import { describe, expect, test } from 'vitest';
import { listen } from '../../test/support/listen.js';
import { createCurrentApp, createLeakyApp, createLockedApp } from './app.js';

const REQUESTS = 30;

/** Sends 30 requests at once, each asking for its own page size; counts the answers with another's. */
async function wrongPageSizes(app: Express): Promise<number> {
  const server = await listen(app);
  try {
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, async (_, i) => {
        const response = await fetch(`${server.url}/items?per_page=${i + 1}`);
        return ((await response.json()) as { perPage: number }).perPage === i + 1;
      }),
    );
    return answers.filter((right) => !right).length;
  } finally {
    await server.close();
  }
}

describe('a page size kept in a module-level variable', () => {
  test('is served to the wrong users when requests overlap', async () => {
    const allLoading = createBarrier(REQUESTS);
    expect(await wrongPageSizes(createLeakyApp(() => allLoading.arrive()))).toBe(REQUESTS - 1);
  });

  test('is right for every user with Current, however requests overlap', async () => {
    const allLoading = createBarrier(REQUESTS);
    expect(await wrongPageSizes(createCurrentApp(() => allLoading.arrive()))).toBe(0);
  });

  test('is right behind globalLock too, at the price of running one request at a time', async () => {
    const locked = trackConcurrency();
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    expect(await wrongPageSizes(createLockedApp(() => locked.run(nextTurn)))).toBe(0);
    expect(locked.maxConcurrent).toBe(1);

    const free = trackConcurrency();
    const allLoading = createBarrier(REQUESTS);
    expect(await wrongPageSizes(createCurrentApp(() => free.run(() => allLoading.arrive())))).toBe(0);
    expect(free.maxConcurrent).toBe(REQUESTS);
  });
});
