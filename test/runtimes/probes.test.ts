import { describe, expect, test } from 'vitest';
import { listen } from '../support/listen.js';
import { allProbes } from './probes/index.js';
import { runProbes } from './probes/run-probes.js';

describe('the context-loss suite on the Node that runs the tests', () => {
  test('every probe of the library, the promises, timers, streams, I/O and threads keeps each scope’s own value', async () => {
    const echo = await listen((_request, response) => response.end('ok'));
    try {
      const probes = allProbes.filter((probe) => probe.group !== 'AsyncLocalStorage itself');
      const results = await runProbes(probes, { echoUrl: `${echo.url}/` });
      expect(results.filter((result) => result.verdict !== 'ok')).toEqual([]);
      expect(results).toHaveLength(probes.length);
    } finally {
      await echo.close();
    }
  }, 60_000);
});
