// One of the processes that race to create the work queue (see create-once.test.ts).
import { KeyedMutex } from 'current-attributes/lock';
import { redisBackend } from 'current-attributes/lock/redis';
import { joinRace } from 'current-attributes/testing';
import { Redis } from 'ioredis';
import { waitAfter } from '../support/wait-after.js';
import { ensureQueueAtomically, ensureQueueNaively, ensureQueueUnderLock } from './queue.js';

const client = new Redis(process.env.REDIS_URL as string);
const locks = new KeyedMutex({ backend: redisBackend({ client }), timeoutMs: 10_000 });
const me = `process-${process.env.RACE_INDEX}`;

joinRace(
  async (round, { checkpoint }) => {
    const name = `${process.env.RACE_RUN}-${round}`;
    switch (process.env.STRATEGY) {
      case 'naive':
        return { created: await ensureQueueNaively(waitAfter(client, 'exists', checkpoint), name, me) };
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
