export { lockSignal, ResponseClosedError } from '../../request/lock-marks.js';
export type { RequestLockStats as KoaLockStats } from '../../request/request-lock.js';
export { currentMiddleware, type KoaCurrentOptions } from './current-middleware.js';
export { globalLock, type KoaKeyedLockOptions, type KoaLock, type KoaLockOptions, keyedLock } from './lock.js';
