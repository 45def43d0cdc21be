import { exploreSchedules, ScheduleFailureError } from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';

describe('exploreSchedules', () => {
  test('fails a run that never settles instead of hanging', async () => {
    const never = new Promise<void>(() => undefined);
    const exploring = exploreSchedules(() => never, { numRuns: 1, timeoutMs: 50 });
    await expect(exploring).rejects.toThrow(ScheduleFailureError);
    await expect(exploring).rejects.toThrow(/Replay it with exploreSchedules\(check, \{ seed: -?\d+, path: "0" \}\)/);
  });

  test('reports how many runs passed', async () => {
    await expect(exploreSchedules(async () => undefined, { numRuns: 5 })).resolves.toEqual({ runs: 5 });
  });
});
