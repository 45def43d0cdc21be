import { randomUUID } from 'node:crypto';
import { formatRaceTable, raceProcesses } from 'current-attributes/testing';
import { redisForExample } from '../support/redis-server.js';

const redis = await redisForExample();
try {
  for (const strategy of ['naive', 'lock']) {
    const rounds = await raceProcesses<{ won: boolean }>({
      script: new URL('./racer.ts', import.meta.url),
      processes: 4,
      rounds: 3,
      execArgv: ['--import', 'tsx'],
      env: { REDIS_URL: redis.url, RACE_RUN: randomUUID(), STRATEGY: strategy },
    });
    console.log(`\n${strategy}:\n${formatRaceTable(rounds)}`);
  }
} finally {
  await redis.stop();
}
