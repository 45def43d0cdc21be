import { InvalidArgumentError } from '../core/errors.js';
import { expectOptions, optionNames } from '../core/options.js';
import { expectFunction } from '../core/validate.js';
import type { ChildMessage, ParentMessage } from './race-protocol.js';

/** What a round's function receives besides the round number. */
export interface RaceRound {
  /**
   * Waits until every process of the race has reached the checkpoint of this
   * name in this round: a barrier in the middle of the round, to force the
   * interleaving between two steps (everyone has checked, nobody has acted).
   * Every process must reach it, so never put one inside a lock.
   */
  checkpoint(name: string): Promise<void>;
}

/** Options of `joinRace`. */
export interface JoinRaceOptions {
  /** Runs after the last round, before the process exits: close connections here. */
  readonly teardown?: () => unknown;
}

const JOIN_RACE_OPTIONS = optionNames<JoinRaceOptions>({ teardown: true });

/**
 * The child side of `raceProcesses`: reports ready, then runs `round` each
 * time the parent releases all processes together, and sends back its JSON
 * result (or the message of what it threw). Exits after the last round.
 *
 * @throws {InvalidArgumentError} when the process was not forked by `raceProcesses`, or an option is unknown.
 * @example
 * ```ts
 * // claim-record.ts
 * const locks = new KeyedMutex({ backend: redisBackend({ client }) });
 * joinRace(async (round, { checkpoint }) => {
 *   await checkpoint('connected');
 *   const lease = await locks.tryAcquire(`record:${round}`);
 *   return { won: lease !== undefined };
 * }, { teardown: () => client.quit() });
 * ```
 */
export function joinRace(round: (round: number, race: RaceRound) => unknown, options: JoinRaceOptions = {}): void {
  expectFunction('round', round);
  expectOptions(options, JOIN_RACE_OPTIONS, 'joinRace()');
  if (process.send === undefined) {
    throw new InvalidArgumentError(
      'joinRace() must run in a process started by raceProcesses() (it has no IPC channel).',
    );
  }
  const report = (message: ChildMessage) => process.send?.(message);
  const passed = new Map<string, () => void>();
  const race: RaceRound = {
    checkpoint: (checkpoint) =>
      new Promise<void>((resolve) => {
        passed.set(checkpoint, resolve);
        report({ type: 'checkpoint', checkpoint });
      }),
  };
  process.on('message', async (message: ParentMessage) => {
    if (message.type === 'continue') {
      passed.get(message.checkpoint)?.();
      passed.delete(message.checkpoint);
      return;
    }
    if (message.type === 'done') {
      await options.teardown?.();
      process.exit(0);
    }
    try {
      report({ type: 'result', outcome: { result: await round(message.round, race) } });
    } catch (error) {
      report({ type: 'result', outcome: { error: error instanceof Error ? error.message : String(error) } });
    }
  });
  report({ type: 'ready' });
}
