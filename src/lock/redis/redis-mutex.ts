import type { Mutex } from 'redis-semaphore';
import { requirePeer } from '../../core/peer.js';

let loaded: typeof Mutex | undefined;

/**
 * redis-semaphore's `Mutex`, loaded when the first Redis backend is made
 * rather than when `current-attributes/lock/redis` is imported: the subpath
 * loads no peer, and a missing redis-semaphore is reported by
 * `redisBackend()` with the command that installs it.
 *
 * @throws {MissingPeerDependencyError} when redis-semaphore is not installed.
 * @example
 * ```ts
 * const RedisMutex = redisMutexClass();
 * const mutex = new RedisMutex(client, key, { lockTimeout: 10_000 });
 * ```
 */
export function redisMutexClass(): typeof Mutex {
  loaded ??= requirePeer<typeof import('redis-semaphore')>('redis-semaphore', {
    packageName: 'redis-semaphore',
    neededBy: '`redisBackend` from current-attributes/lock/redis',
  }).Mutex;
  return loaded;
}
