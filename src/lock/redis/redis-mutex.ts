import type { Mutex } from 'redis-semaphore';
import { importPeer } from '../../core/peer.js';

let loaded: typeof Mutex | undefined;

// Started when `current-attributes/lock/redis` is imported, and not awaited:
// importing the subpath fails on no missing peer, the first acquisition
// reports a missing redis-semaphore, and by then the module is usually
// loaded, so acquiring takes the same turns as with a static import. Through
// `import()` with the name written out, so that bundlers still bundle it.
const loading = importPeer(() => import('redis-semaphore'), {
  packageName: 'redis-semaphore',
  neededBy: '`redisBackend` from current-attributes/lock/redis',
}).then(({ Mutex: RedisMutex }) => {
  loaded = RedisMutex;
  return RedisMutex;
});
loading.catch(() => undefined);

/**
 * redis-semaphore's `Mutex`: at once when loaded, else the promise of it.
 *
 * @throws {MissingPeerDependencyError} (the promise rejects) when redis-semaphore is not installed.
 * @example
 * ```ts
 * const RedisMutex = loadedRedisMutex() ?? (await redisMutexLoading());
 * ```
 */
export function redisMutexLoading(): Promise<typeof Mutex> {
  return loading;
}

/**
 * redis-semaphore's `Mutex` once loaded, else `undefined`. A lease exists
 * only after an acquisition, which loaded it.
 *
 * @example
 * ```ts
 * const RedisMutex = loadedRedisMutex() ?? (await redisMutexLoading());
 * ```
 */
export function loadedRedisMutex(): typeof Mutex | undefined {
  return loaded;
}
