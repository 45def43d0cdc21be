// One of the processes that race to create the work queue (see create-once.test.ts).
import { KeyedMutex } from 'current-attributes/lock';
import { redisBackend } from 'current-attributes/lock/redis';
import { joinRace, type RaceRound } from 'current-attributes/testing';
import { Redis } from 'ioredis';
import { ensureQueueAtomically, ensureQueueNaively, ensureQueueUnderLock } from './queue.js';

const client = new Redis(process.env.REDIS_URL as string);
const locks = new KeyedMutex({ backend: redisBackend({ client }), timeoutMs: 10_000 });
const me = `process-${process.env.RACE_INDEX}`;

/** The client, but every `exists` waits, once answered, until all processes have checked. */
function checkedTogether(checkpoint: RaceRound['checkpoint']): Redis {
  return new Proxy(client, {
    get(target, property) {
      if (property === 'exists') {
        return async (...keys: string[]) => {
          const found = await target.exists(...keys);
          await checkpoint('checked');
          return found;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

joinRace(
  async (round, { checkpoint }) => {
    const name = `${process.env.RACE_RUN}-${round}`;
    switch (process.env.STRATEGY) {
      case 'naive':
        return { created: await ensureQueueNaively(checkedTogether(checkpoint), name, me) };
      case 'lock':
        await checkpoint('ready');
        return { created: await ensureQueueUnderLock(locks, client, name, me) };
      default:
        await checkpoint('ready');
        return { created: await ensureQueueAtomically(client, name, me) };
    }
  },
  { teardown: () => client.quit() },
);
