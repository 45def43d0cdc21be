// One of the processes that race for the record (see record-lock.test.ts).
import { KeyedMutex, type Lease } from 'current-attributes/lock';
import { redisBackend } from 'current-attributes/lock/redis';
import { joinRace } from 'current-attributes/testing';
import { Redis } from 'ioredis';
import { waitAfter } from '../support/wait-after.js';
import { claimNaively, claimWithLock } from './claim.js';

const client = new Redis(process.env.REDIS_URL as string);
const locks = new KeyedMutex({ backend: redisBackend({ client }) });
let held: Lease | undefined;

joinRace(
  async (round, { checkpoint }) => {
    const record = `${process.env.RACE_RUN}-${round}`;
    if (process.env.STRATEGY === 'naive') {
      return {
        won: await claimNaively(waitAfter(client, 'get', checkpoint), record, `process-${process.env.RACE_INDEX}`),
      };
    }
    // Each round has its own record, so letting the last one go now cannot make anyone win this one.
    await held?.release();
    await checkpoint('ready');
    held = await claimWithLock(locks, record);
    return { won: held !== undefined };
  },
  {
    teardown: async () => {
      await held?.release();
      await client.quit();
    },
  },
);
