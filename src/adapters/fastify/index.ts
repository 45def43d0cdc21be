export { lockSignal, ResponseClosedError } from '../../request/lock-marks.js';
export type { RequestLockStats as FastifyLockStats } from '../../request/request-lock.js';
export {
  type FastifyKeyedLockOptions,
  type FastifyLock,
  type FastifyLockOptions,
  globalLock,
  keyedLock,
} from './lock.js';
export { type FastifyCurrentOptions, fastifyCurrent } from './plugin.js';
