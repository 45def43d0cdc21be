import { InvalidArgumentError } from 'current-attributes';
import { exploreSchedules, type ScheduleController, ScheduleFailureError } from 'current-attributes/testing';
import type { Scheduler } from 'fast-check';
import { describe, expect, expectTypeOf, test } from 'vitest';

describe('exploreSchedules', () => {
  test('fails a run that never settles instead of hanging', async () => {
    const never = new Promise<void>(() => undefined);
    const exploring = exploreSchedules(() => never, { numRuns: 1, timeoutMs: 50 });
    await expect(exploring).rejects.toThrow(ScheduleFailureError);
    await expect(exploring).rejects.toThrow(/Replay it with exploreSchedules\(check, \{ seed: -?\d+, path: "0" \}\)/);
  });

  test("gives a check fast-check's scheduler, whether it is typed as fast-check's Scheduler or not", async () => {
    const seen: string[] = [];
    await exploreSchedules(
      async (scheduler: Scheduler) => {
        seen.push(typeof scheduler.waitIdle);
      },
      { numRuns: 1 },
    );
    await exploreSchedules(
      async (scheduler) => {
        expectTypeOf(scheduler).toEqualTypeOf<ScheduleController>();
        seen.push(typeof scheduler.waitFor);
      },
      { numRuns: 1 },
    );
    expect(seen).toEqual(['function', 'function']);
  });

  test('reports how many runs passed', async () => {
    await expect(exploreSchedules(async () => undefined, { numRuns: 5 })).resolves.toEqual({ runs: 5 });
  });
});

describe('exploreSchedules with bad options', () => {
  test.each([
    ['a negative run count', { numRuns: -5 }, 'Expected `numRuns` to be a positive integer, got `-5` (number).'],
    ['a fractional run count', { numRuns: 1.5 }, 'Expected `numRuns` to be a positive integer, got `1.5` (number).'],
    ['a negative timeout', { timeoutMs: -1 }, 'Expected `timeoutMs` to be a positive number, got `-1` (number).'],
    ['a seed that is not an integer', { seed: 'abc' }, 'Expected `seed` to be an integer, got `abc` (string).'],
    ['a path that is not a string', { path: 7 }, 'Expected `path` to be a string, got `7` (number).'],
  ])('refuses %s, saying what to pass', async (_case, options, message) => {
    await expect(exploreSchedules(async () => undefined, options as never)).rejects.toThrow(
      new InvalidArgumentError(message),
    );
  });
});
