export type { AcquireOptions } from './acquire-options.js';
export type { LockBackend, RemoteAcquireOptions, RemoteLock } from './backend.js';
export {
  LockAbortedError,
  LockError,
  LockLostError,
  LockQueueFullError,
  LockTimeoutError,
  LockUnavailableError,
  ReentrantLockError,
} from './errors.js';
export { KeyedMutex, type KeyedMutexOptions } from './keyed-mutex.js';
export type { Lease } from './lease.js';
export { Mutex } from './mutex.js';
export type { LockStats } from './stats.js';
export { type WithLockOptions, withLock } from './with-lock.js';
