import { InvalidArgumentError } from 'current-attributes';
import { formatRaceTable, RaceTimeoutError, raceProcesses } from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';

const script = new URL('./support/racer.ts', import.meta.url);
const race = (mode: string, options: { timeoutMs?: number } = {}) =>
  raceProcesses<{ index: number; round: number }>({
    script,
    processes: 3,
    rounds: 2,
    execArgv: ['--import', 'tsx'],
    env: { RACER_MODE: mode },
    ...options,
  });

describe('raceProcesses', () => {
  test('collects the result of every process in every round, through a checkpoint', async () => {
    const rounds = await race('normal');
    expect(rounds.map((round) => round.map(({ result }) => result))).toEqual([
      [
        { index: 0, round: 0 },
        { index: 1, round: 0 },
        { index: 2, round: 0 },
      ],
      [
        { index: 0, round: 1 },
        { index: 1, round: 1 },
        { index: 2, round: 1 },
      ],
    ]);
    const table = formatRaceTable(rounds).split('\n');
    expect(table[0]).toMatch(/^round {2}process {2}pid +index {2}round {2}error$/);
    expect(table).toHaveLength(7);
  });

  test('reports what a process threw as its error, and keeps racing', async () => {
    const rounds = await race('throws');
    expect(rounds[0]?.[1]).toMatchObject({ error: 'racer 1 failed', index: 1 });
    expect(rounds[1]?.[1]?.error).toBe('racer 1 failed');
  });

  test('fails with a timeout when a process never joins, and kills them all', async () => {
    await expect(race('never-joins', { timeoutMs: 1500 })).rejects.toThrow(RaceTimeoutError);
  });
});

describe('raceProcesses with bad options', () => {
  test.each([
    [
      'a script that is a number',
      { script: 42 },
      'Expected `script` to be a file path or a file: URL, got `42` (number).',
    ],
    ['no script', {}, 'Expected `script` to be a file path or a file: URL, got `undefined` (undefined).'],
    [
      'a script that does not exist',
      { script: '/nonexistent/racer.ts' },
      'Expected `script` to be a file that exists, got `/nonexistent/racer.ts` (string).',
    ],
    [
      'a negative timeout',
      { script, timeoutMs: -1 },
      'Expected `timeoutMs` to be a positive number, got `-1` (number).',
    ],
  ])('refuses %s before forking anything, saying what to pass', async (_case, options, message) => {
    await expect(raceProcesses({ processes: 2, ...options } as never)).rejects.toThrow(
      new InvalidArgumentError(message),
    );
  });
});
