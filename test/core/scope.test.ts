import { openScope } from 'current-attributes';
import { describe, expect, test } from 'vitest';
import { Current } from '../support/fixtures.js';
import { listen } from '../support/listen.js';

describe('openScope, for adapters of other frameworks', () => {
  test('gives each request of a plain node:http server its own values', async () => {
    const server = await listen((req, res) => {
      const scope = openScope();
      res.once('close', () => scope.end());
      scope.run(async () => {
        Current.locale = req.headers['x-locale'] as string;
        await new Promise((resolve) => setTimeout(resolve, 5));
        res.end(Current.locale);
      });
    });
    try {
      const answers = await Promise.all(
        ['fr', 'de', 'es'].map(async (locale) => (await fetch(server.url, { headers: { 'x-locale': locale } })).text()),
      );
      expect(answers).toEqual(['fr', 'de', 'es']);
    } finally {
      await server.close();
    }
  });

  test('runs the reset callbacks once, however often end is called', () => {
    let resets = 0;
    const remove = Current.afterReset(() => {
      resets += 1;
    });
    try {
      const scope = openScope();
      scope.run(() => {
        Current.locale = 'fr';
      });
      scope.end();
      scope.end();
    } finally {
      remove();
    }
    expect(resets).toBe(1);
  });
});
