import type { KeyedMutex, Lease } from 'current-attributes/lock';
import type { Redis } from 'ioredis';

/** The bug: look for an owner, then write yourself in. Everyone who looks before anyone writes wins. */
export async function claimNaively(client: Redis, record: string, me: string): Promise<boolean> {
  if ((await client.get(`owner:${record}`)) !== null) return false;
  await client.set(`owner:${record}`, me);
  return true;
}

/** The fix: try once to take the record's lock in Redis; keep the lease while working on the record. */
export function claimWithLock(locks: KeyedMutex, record: string): Promise<Lease | undefined> {
  return locks.tryAcquire(`record:${record}`);
}
