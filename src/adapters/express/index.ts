export { lockSignal, ResponseClosedError } from '../../request/lock-marks.js';
export type { RequestLockStats as LockMiddlewareStats } from '../../request/request-lock.js';
export { type CurrentMiddlewareOptions, currentMiddleware } from './current-middleware.js';
export {
  globalLock,
  type KeyedLockOptions,
  keyedLock,
  type LockMiddleware,
  type LockMiddlewareOptions,
} from './lock-middleware.js';
