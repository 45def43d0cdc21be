export { type CurrentMiddlewareOptions, currentMiddleware } from './current-middleware.js';
export {
  globalLock,
  type KeyedLockOptions,
  keyedLock,
  type LockMiddleware,
  type LockMiddlewareOptions,
  type LockMiddlewareStats,
} from './lock-middleware.js';
export { onResponseClosed } from './on-response-closed.js';
export { lockSignal, ResponseClosedError } from './request-locks.js';
