// One of the processes that race for the record (see record-lock.test.ts).
import { KeyedMutex, type Lease } from 'current-attributes/lock';
import { redisBackend } from 'current-attributes/lock/redis';
import { joinRace, type RaceRound } from 'current-attributes/testing';
import { Redis } from 'ioredis';
import { claimNaively, claimWithLock } from './claim.js';

const client = new Redis(process.env.REDIS_URL as string);
const locks = new KeyedMutex({ backend: redisBackend({ client }) });
let held: Lease | undefined;

/** The client, but every `get` waits, once answered, until all processes have looked. */
function lookedTogether(checkpoint: RaceRound['checkpoint']): Redis {
  return new Proxy(client, {
    get(target, property) {
      if (property === 'get') {
        return async (key: string) => {
          const owner = await target.get(key);
          await checkpoint('looked');
          return owner;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

joinRace(
  async (round, { checkpoint }) => {
    const record = `${process.env.RACE_RUN}-${round}`;
    if (process.env.STRATEGY === 'naive') {
      return { won: await claimNaively(lookedTogether(checkpoint), record, `process-${process.env.RACE_INDEX}`) };
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
