export { type Barrier, type BarrierOptions, createBarrier } from './barrier.js';
export { createDeferred, type Deferred } from './deferred.js';
export { RaceTimeoutError } from './errors.js';
export { withFreshScope } from './fresh-scope.js';
export { type Injection, type InjectOnceOptions, injectOnce } from './inject-once.js';
export {
  assertNoLostUpdates,
  assertNoOverlap,
  assertNotOversold,
  assertOwnContext,
  InvariantError,
} from './invariants.js';
export { type JoinRaceOptions, joinRace, type RaceRound } from './join-race.js';
export { createLatch, type Latch } from './latch.js';
export {
  type AnsweredRequest,
  type LoadOptions,
  loadAndVerify,
  type PlannedRequest,
} from './load-and-verify.js';
export type { AnswerVerdict, LoadSummary } from './load-summary.js';
export { type ProcessRaceOptions, type RaceOutcome, raceProcesses } from './process-race.js';
export { formatRaceTable } from './race-table.js';
export {
  type ExploreOptions,
  exploreSchedules,
  type ScheduleController,
  ScheduleFailureError,
} from './schedules.js';
export { type StartTogetherOptions, startTogether } from './start-together.js';
export { type ConcurrencyTracker, trackConcurrency } from './track-concurrency.js';
export { withCurrent } from './with-current.js';
