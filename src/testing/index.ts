export { type Barrier, type BarrierOptions, createBarrier } from './barrier.js';
export { createDeferred, type Deferred } from './deferred.js';
export { RaceTimeoutError } from './errors.js';
export { withFreshScope } from './fresh-scope.js';
export { type JoinRaceOptions, joinRace } from './join-race.js';
export { createLatch, type Latch } from './latch.js';
export { type LoadOptions, type LoadSummary, loadAndVerify, type PlannedRequest } from './load-and-verify.js';
export { type ProcessRaceOptions, type RaceOutcome, raceProcesses } from './process-race.js';
export { formatRaceTable } from './race-table.js';
