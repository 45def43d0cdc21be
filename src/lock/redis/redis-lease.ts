import type { Redis } from 'ioredis';
import type { Mutex as RedisMutex } from 'redis-semaphore';
import type { RemoteLock } from '../backend.js';
import { BoundedCommands, type MutexClient } from './bounded-commands.js';
import { loadedRedisMutex } from './redis-mutex.js';

/** The settings a held lease needs. */
export interface LeaseSettings {
  readonly client: Redis;
  readonly lockTimeoutMs: number;
  readonly refreshIntervalMs: number;
  readonly commandTimeoutMs: number;
}

/**
 * How long a lease sent at time t can be trusted: until t + lockTimeoutMs,
 * less an allowance for the clocks of Redis and of this process drifting
 * apart (Redlock's: 1% of the lease plus 2 ms).
 *
 * @example
 * ```ts
 * leaseValidityMs(10_000); // 9898
 * ```
 */
export function leaseValidityMs(lockTimeoutMs: number): number {
  return lockTimeoutMs - (Math.round(lockTimeoutMs * 0.01) + 2);
}

/**
 * A mutex on a key this process holds as `identifier`: its `tryAcquire`
 * renews the lease and its `release` deletes the key, each only while the
 * key still holds `identifier` (redis-semaphore's `acquiredExternally`).
 * Single use: one per renewal.
 *
 * @example
 * ```ts
 * const renewed = await heldMutex(client, key, identifier, 10_000).tryAcquire();
 * ```
 */
export function heldMutex(client: MutexClient, key: string, identifier: string, lockTimeoutMs: number): RedisMutex {
  // Loaded by the acquisition that made the lease.
  const HeldMutex = loadedRedisMutex() as typeof RedisMutex;
  return new HeldMutex(client, key, {
    identifier,
    acquiredExternally: true,
    lockTimeout: lockTimeoutMs,
    refreshInterval: 0,
  });
}

/**
 * Deletes the key if it still holds `identifier`, and nobody waits for the
 * answer: if this fails, the key expires when its lease runs out. Sent on
 * the plain client, so that during an outage it waits in ioredis's queue
 * behind the commands it must follow.
 *
 * @example
 * ```ts
 * deleteInBackground(client, key, mutex.identifier, 10_000); // an abandoned SET may still land
 * ```
 */
export function deleteInBackground(client: Redis, key: string, identifier: string, lockTimeoutMs: number): void {
  heldMutex(client, key, identifier, lockTimeoutMs)
    .release()
    .catch(() => undefined);
}

/**
 * A lock held in Redis. It renews its lease every `refreshIntervalMs` and
 * tracks locally until when the last confirmed send is valid (as Redlock
 * clients do), so the holder hears of a loss when the lease runs out, even
 * while Redis cannot answer, and not only when it comes back.
 *
 * @example
 * ```ts
 * const lease = new RedisLease(settings, key, mutex.identifier, commands.sentAt, onLost);
 * await lease.release();
 * ```
 */
export class RedisLease implements RemoteLock {
  #validUntil = 0;
  #renewal: ReturnType<typeof setTimeout> | undefined;
  #expiry: ReturnType<typeof setTimeout> | undefined;
  #over = false;

  constructor(
    readonly settings: LeaseSettings,
    readonly key: string,
    readonly identifier: string,
    sentAt: number,
    readonly onLost: (cause: unknown) => void,
  ) {
    this.#extend(sentAt);
    this.#scheduleRenewal();
  }

  /**
   * Deletes the key if it still holds this lease, within `commandTimeoutMs`.
   * After a loss, which the holder has heard of already, only tries.
   */
  release(): Promise<void> {
    const { client, commandTimeoutMs, lockTimeoutMs } = this.settings;
    if (this.#over) {
      deleteInBackground(client, this.key, this.identifier, lockTimeoutMs);
      return Promise.resolve();
    }
    this.#end();
    const commands = new BoundedCommands(client, commandTimeoutMs, '`commandTimeoutMs`');
    return heldMutex(commands.client, this.key, this.identifier, lockTimeoutMs).release();
  }

  #extend(sentAt: number): void {
    this.#validUntil = sentAt + leaseValidityMs(this.settings.lockTimeoutMs);
    clearTimeout(this.#expiry);
    this.#expiry = setTimeout(
      () => this.#lose(new Error('no renewal was confirmed by Redis before the lease ran out')),
      this.#validUntil - performance.now(),
    );
    this.#expiry.unref();
  }

  #scheduleRenewal(): void {
    this.#renewal = setTimeout(() => this.#renew(), this.settings.refreshIntervalMs);
    this.#renewal.unref();
  }

  async #renew(): Promise<void> {
    const { client, commandTimeoutMs, lockTimeoutMs } = this.settings;
    const sentAt = performance.now();
    const limitMs = Math.min(commandTimeoutMs, this.#validUntil - sentAt);
    const commands = new BoundedCommands(client, limitMs, 'what was left of the lease, at most `commandTimeoutMs`');
    let renewed: boolean | undefined;
    try {
      renewed = await heldMutex(commands.client, this.key, this.identifier, lockTimeoutMs).tryAcquire();
    } catch {
      // Unanswered or failed: try again at the next interval; the expiry timer decides whether the lease is lost.
    }
    if (this.#over) return;
    if (renewed === false) {
      this.#lose(new Error('Redis no longer holds the key for this lease: it expired or was deleted'));
      return;
    }
    if (renewed) this.#extend(sentAt);
    this.#scheduleRenewal();
  }

  #lose(cause: Error): void {
    if (this.#over) return;
    this.#end();
    this.onLost(cause);
  }

  #end(): void {
    this.#over = true;
    clearTimeout(this.#renewal);
    clearTimeout(this.#expiry);
  }
}
