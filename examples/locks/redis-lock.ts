import { KeyedMutex } from 'current-attributes/lock';
import { redisBackend } from 'current-attributes/lock/redis';
import { Redis } from 'ioredis';

/** Runs the nightly report in at most one process of the fleet at a time. */
export async function runNightlyReport(redisUrl: string, build: (signal: AbortSignal) => Promise<string>) {
  const client = new Redis(redisUrl);
  const locks = new KeyedMutex({ backend: redisBackend({ client, lockTimeoutMs: 30_000 }) });
  try {
    const lease = await locks.tryAcquire('nightly-report');
    if (lease === undefined) return 'another process is on it';
    try {
      return await build(lease.signal);
    } finally {
      await lease.release();
    }
  } finally {
    await client.quit();
  }
}
