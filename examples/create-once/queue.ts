import type { KeyedMutex } from 'current-attributes/lock';
import type { Redis } from 'ioredis';

const queueKey = (name: string) => `queue:${name}`;

/** Creates the queue's record and counts the creation, so a test can see how often it happened. */
async function create(client: Redis, name: string, creator: string): Promise<void> {
  await client.set(queueKey(name), creator);
  await client.incr(`${queueKey(name)}:creations`);
}

export async function creationsOf(client: Redis, name: string): Promise<number> {
  return Number((await client.get(`${queueKey(name)}:creations`)) ?? 0);
}

/** The bug: check, then create. Every process that checks before anyone creates creates it again. */
export async function ensureQueueNaively(client: Redis, name: string, creator: string): Promise<boolean> {
  if (await client.exists(queueKey(name))) return false;
  await create(client, name, creator);
  return true;
}

/** Fix 1: the same check-then-create, under a lock held across processes (a Redis-backed KeyedMutex). */
export function ensureQueueUnderLock(locks: KeyedMutex, client: Redis, name: string, creator: string) {
  return locks.withLock(`create:${queueKey(name)}`, () => ensureQueueNaively(client, name, creator));
}

/** Fix 2, the simpler correct tool: create only if absent, in one atomic command. */
export async function ensureQueueAtomically(client: Redis, name: string, creator: string): Promise<boolean> {
  const created = (await client.set(queueKey(name), creator, 'NX')) === 'OK';
  if (created) await client.incr(`${queueKey(name)}:creations`);
  return created;
}
