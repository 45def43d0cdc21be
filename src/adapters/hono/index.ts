export { ResponseClosedError } from '../../request/lock-marks.js';
export type { RequestLockStats as HonoLockStats } from '../../request/request-lock.js';
export { currentMiddleware, type HonoCurrentOptions } from './current-middleware.js';
export { globalLock, type HonoKeyedLockOptions, type HonoLock, type HonoLockOptions, keyedLock } from './lock.js';
export { lockSignal } from './lock-signal.js';
export { stream, streamSSE, streamText } from './streaming.js';
