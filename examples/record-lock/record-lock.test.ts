import { randomUUID } from 'node:crypto';
import { formatRaceTable, raceProcesses } from 'current-attributes/testing';
import { describe, expect, inject, test } from 'vitest';

const redisUrl = inject('redisUrl');
const PROCESSES = 4;
const ROUNDS = 10;

function race(strategy: 'naive' | 'lock') {
  return raceProcesses<{ won: boolean }>({
    script: new URL('./racer.ts', import.meta.url),
    processes: PROCESSES,
    rounds: ROUNDS,
    execArgv: ['--import', 'tsx'],
    env: { REDIS_URL: redisUrl, RACE_RUN: randomUUID(), STRATEGY: strategy },
  });
}

const winnersPerRound = (rounds: Awaited<ReturnType<typeof race>>) =>
  rounds.map((round) => round.filter(({ result }) => result?.won).length);

// Skipped only outside CI when redis-server is not installed (the global setup says so).
describe.skipIf(redisUrl === '')(`${PROCESSES} processes released together claim one record, ${ROUNDS} times`, () => {
  test('look-then-write lets every process believe it won', async () => {
    const rounds = await race('naive');
    expect(winnersPerRound(rounds), formatRaceTable(rounds)).toEqual(Array(ROUNDS).fill(PROCESSES));
  });

  test('the Redis lock lets exactly one hold it, every round', async () => {
    const rounds = await race('lock');
    expect(winnersPerRound(rounds), formatRaceTable(rounds)).toEqual(Array(ROUNDS).fill(1));
  });
});
