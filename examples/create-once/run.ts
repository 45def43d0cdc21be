import { randomUUID } from 'node:crypto';
import { formatRaceTable, raceProcesses } from 'current-attributes/testing';
import { Redis } from 'ioredis';
import { redisForExample } from '../support/redis-server.js';
import { creationsOf } from './queue.js';

const redis = await redisForExample();
const client = new Redis(redis.url);
try {
  for (const strategy of ['naive', 'lock', 'set-nx']) {
    const run = randomUUID();
    const rounds = await raceProcesses<{ created: boolean }>({
      script: new URL('./racer.ts', import.meta.url),
      processes: 4,
      execArgv: ['--import', 'tsx'],
      env: { REDIS_URL: redis.url, RACE_RUN: run, STRATEGY: strategy },
    });
    console.log(`\n${strategy}: created ${await creationsOf(client, `${run}-0`)} time(s)\n${formatRaceTable(rounds)}`);
  }
} finally {
  await client.quit();
  await redis.stop();
}
