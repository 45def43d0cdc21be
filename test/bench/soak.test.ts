import { describe, expect, test } from 'vitest';
import { SOAK_FRAMEWORKS } from '../../bench/soak/apps.js';
import { soak, soakPassed } from '../../bench/soak/run.js';

describe('npm run bench:soak', () => {
  test.each(SOAK_FRAMEWORKS)(
    'keeps every promise on %s under clients that hang up mid-handler, mid-stream, queued and pipelined',
    { timeout: 120_000 },
    async (framework) => {
      const figures = await soak(framework, { requests: 400, concurrency: 20 });
      expect(figures).toMatchObject({
        requests: 400,
        failed: 0,
        wrongReads: 0,
        wrongAnswers: 0,
        overlaps: 0,
        releasedByBound: 0,
      });
      expect(figures.hungUp).toBeGreaterThan(0);
      expect(figures.pipelinedConnections).toBeGreaterThan(0);
      expect(figures.releasedAfterDisconnect).toBeGreaterThan(0);
      expect(soakPassed(figures)).toBe(true);
    },
  );
});
