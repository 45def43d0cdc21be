import { createBarrier } from 'current-attributes/testing';
import type { Express } from 'express';
import { afterEach, describe, expect, test } from 'vitest';
import { db } from '../../examples/why/db.js';
import { app as fixed } from '../../examples/why/fixed.js';
import { app as leak } from '../../examples/why/leak.js';
import { listen, type RunningServer } from '../support/listen.js';

const REQUESTS = 50;
const originalQuery = db.query;
let server: RunningServer | undefined;
afterEach(async () => {
  db.query = originalQuery;
  await server?.close();
});

/** Holds every request inside `db.query` until all have signed in, then counts the wrong answers. */
async function wrongAnswers(app: Express): Promise<number> {
  const barrier = createBarrier(REQUESTS);
  db.query = () => barrier.arrive();
  server = await listen(app);
  const url = server.url;
  const answers = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, index) => {
      const response = await fetch(`${url}/me`, { headers: { authorization: `token-user-${index}` } });
      return ((await response.json()) as { user: string }).user === `user-${index}`;
    }),
  );
  return answers.filter((right) => !right).length;
}

describe('the ten-line leak from docs/testing.md', () => {
  test('serves all but one of 50 concurrent users someone else', async () => {
    expect(await wrongAnswers(leak)).toBe(REQUESTS - 1);
  });

  test('serves every user their own name once the variable is an attribute of Current', async () => {
    expect(await wrongAnswers(fixed)).toBe(0);
  });
});
