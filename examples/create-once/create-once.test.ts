import { randomUUID } from 'node:crypto';
import { formatRaceTable, raceProcesses } from 'current-attributes/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { creationsOf } from './queue.js';

const redisUrl = inject('redisUrl');
const PROCESSES = 4;

// Skipped only outside CI when redis-server is not installed (the global setup says so).
describe.skipIf(redisUrl === '')(`${PROCESSES} processes create the work queue unless it exists`, () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redisUrl);
  });
  afterAll(() => client.quit());

  async function race(strategy: string) {
    const run = randomUUID();
    const rounds = await raceProcesses<{ created: boolean }>({
      script: new URL('./racer.ts', import.meta.url),
      processes: PROCESSES,
      rounds: 3,
      execArgv: ['--import', 'tsx'],
      env: { REDIS_URL: redisUrl, RACE_RUN: run, STRATEGY: strategy },
    });
    const creations = await Promise.all(rounds.map((_, round) => creationsOf(client, `${run}-${round}`)));
    return { creations, table: formatRaceTable(rounds) };
  }

  test('check-then-create creates it once per process when all check first', async () => {
    const { creations, table } = await race('naive');
    expect(creations, table).toEqual([PROCESSES, PROCESSES, PROCESSES]);
  });

  test.each(['lock', 'set-nx'])('with %s it is created exactly once', async (strategy) => {
    const { creations, table } = await race(strategy);
    expect(creations, table).toEqual([1, 1, 1]);
  });
});
