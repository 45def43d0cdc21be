// One racer of the "exactly one process holds the record" test: in every
// round it tries once, at the same instant as its rivals, to take the
// round's record lock in Redis, and keeps it if it wins.
import { KeyedMutex, type Lease } from 'current-attributes/lock';
import { redisBackend } from 'current-attributes/lock/redis';
import { joinRace } from 'current-attributes/testing';
import { Redis } from 'ioredis';

const client = new Redis(process.env.REDIS_URL as string);
const locks = new KeyedMutex({ backend: redisBackend({ client }) });
let held: Lease | undefined;

joinRace(
  async (round) => {
    // Rounds use different keys, so letting last round's record go now
    // cannot make anyone win this round.
    await held?.release();
    held = await locks.tryAcquire(`record:${process.env.RACE_RUN}:${round}`);
    return { won: held !== undefined };
  },
  {
    teardown: async () => {
      await held?.release();
      await client.quit();
    },
  },
);
