import type { Express } from 'express';
import { describe, expect, test } from 'vitest';
import { listen } from '../../test/support/listen.js';
import { createCurrentApp, createPooledApp } from './app.js';

/** Ann signs in and is answered; then an anonymous visitor asks who they are. */
async function whoIsTheAnonymousVisitor(app: Express) {
  const server = await listen(app);
  try {
    await (await fetch(`${server.url}/me`, { headers: { authorization: 'ann' } })).json();
    return ((await (await fetch(`${server.url}/me`)).json()) as { user: string | null }).user;
  } finally {
    await server.close();
  }
}

describe('state left behind by a reused object', () => {
  test('a pooled state object serves the next visitor the previous one’s user', async () => {
    expect(await whoIsTheAnonymousVisitor(createPooledApp())).toBe('ann');
  });

  test('Current starts every request from a fresh object', async () => {
    expect(await whoIsTheAnonymousVisitor(createCurrentApp())).toBeNull();
  });
});
