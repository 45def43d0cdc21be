export { lockSignal, ResponseClosedError } from '../../request/lock-marks.js';
export type { RequestLockStats as HttpLockStats } from '../../request/request-lock.js';
export { globalLock, type HttpKeyedLockOptions, type HttpLock, type HttpLockOptions, keyedLock } from './lock.js';
export { type HttpHandler, type WithCurrentOptions, withCurrent } from './with-current.js';
