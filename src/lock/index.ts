export type { LockBackend, RemoteAcquireOptions, RemoteLock } from './backend.js';
export {
  LockAbortedError,
  LockError,
  LockLostError,
  LockQueueFullError,
  LockReleasedEarlyError,
  LockTimeoutError,
  LockUnavailableError,
  ReentrantLockError,
} from './errors.js';
export { type AcquireOptions, KeyedMutex, type KeyedMutexOptions, type Lease } from './keyed-mutex.js';
export { Mutex } from './mutex.js';
export type { LockStats } from './stats.js';
export { type WithLockOptions, withLock } from './with-lock.js';
