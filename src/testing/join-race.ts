import { InvalidArgumentError } from '../errors.js';
import { expectFunction } from '../validate.js';
import type { ChildMessage, ParentMessage } from './race-protocol.js';

/** Options of `joinRace`. */
export interface JoinRaceOptions {
  /** Runs after the last round, before the process exits: close connections here. */
  readonly teardown?: () => unknown;
}

/**
 * The child side of `raceProcesses`: reports ready, then runs `round` each
 * time the parent releases all processes together, and sends back its JSON
 * result (or the message of what it threw). Exits after the last round.
 *
 * @throws {InvalidArgumentError} when the process was not forked by `raceProcesses`.
 * @example
 * ```ts
 * // claim-record.ts
 * const locks = new KeyedMutex({ backend: redisBackend({ client }) });
 * joinRace(async (round) => {
 *   const lease = await locks.tryAcquire(`record:${round}`);
 *   return { won: lease !== undefined };
 * }, { teardown: () => client.quit() });
 * ```
 */
export function joinRace(round: (round: number) => unknown, options: JoinRaceOptions = {}): void {
  expectFunction('round', round);
  if (process.send === undefined) {
    throw new InvalidArgumentError(
      'joinRace() must run in a process started by raceProcesses() (it has no IPC channel).',
    );
  }
  const report = (message: ChildMessage) => process.send?.(message);
  process.on('message', async (message: ParentMessage) => {
    if (message.type === 'done') {
      await options.teardown?.();
      process.exit(0);
    }
    try {
      report({ type: 'result', outcome: { result: await round(message.round) } });
    } catch (error) {
      report({ type: 'result', outcome: { error: error instanceof Error ? error.message : String(error) } });
    }
  });
  report({ type: 'ready' });
}
