export { type Barrier, type BarrierOptions, createBarrier } from './barrier.js';
export { createDeferred, type Deferred } from './deferred.js';
export { RaceTimeoutError } from './errors.js';
export { withFreshScope } from './fresh-scope.js';
