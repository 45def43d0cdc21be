import { globalLock, withCurrent } from 'current-attributes/http';
import { createDeferred } from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';
import { Current } from '../support/fixtures.js';
import { listen } from '../support/listen.js';
import { get, rawClient } from '../support/raw-client.js';
import { until } from '../support/until.js';

describe('globalLock for node:http', () => {
  test('resolves a queued request whose client left at once, so withCurrent ends its scope', async () => {
    const lock = globalLock();
    const finish = createDeferred();
    const settled: string[] = [];
    const resets: string[] = [];
    const removeCallback = Current.beforeReset(() => resets.push(Current.locale));
    const locked = lock(async (req, res) => {
      if (req.url === '/holder') await finish.promise;
      res.end(req.url);
    });
    // Infinity: only the lock's settled promise can end a request that never ran.
    const handler = withCurrent(
      async (req, res) => {
        Current.locale = req.url as string;
        await locked(req, res);
        settled.push(Current.locale);
      },
      { abandonedHoldMs: Number.POSITIVE_INFINITY },
    );
    const server = await listen(handler);
    try {
      const holder = fetch(`${server.url}/holder`);
      await until(() => lock.stats.active === 1);
      const client = await rawClient(server.url);
      client.write(get('/gone'));
      await until(() => lock.stats.queued === 1);
      await client.hangUp();
      await until(() => resets.includes('/gone'));
      expect(settled).toEqual(['/gone']);
      finish.resolve();
      expect(await (await holder).text()).toBe('/holder');
    } finally {
      removeCallback();
      await server.close();
    }
  });
});
