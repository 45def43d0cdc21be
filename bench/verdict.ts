import type { Framework } from './frameworks.js';
/**
 * A target's verdict: `met` and `missed` only when every round agrees,
 * `no verdict` when the rounds disagree (the machine's noise is larger than
 * the difference at stake), `not measured` when the run lacks what it needs.
 */
export type Verdict = 'met' | 'missed' | 'no verdict' | 'not measured';

/**
 * Rounds below this judge nothing. Where a target's line runs through the true
 * value, noise alone puts all of n rounds on one side 2 times in 2^n: 1 in 4
 * for 3 rounds, 1 in 16 for 5.
 */
export const ROUNDS_FOR_A_VERDICT = 5;

/**
 * Judges values measured once per round against `passes`: met when every
 * round passes, missed when none does, and no verdict when they disagree or
 * there are too few rounds to tell.
 *
 * @example
 * ```ts
 * judgeRounds([0.98, 1.01, 0.99, 1, 0.97], (ratio) => ratio >= 0.97); // 'met'
 * judgeRounds([0.93, 1.01, 0.96, 0.99, 0.95], (ratio) => ratio >= 0.97); // 'no verdict'
 * ```
 */
export function judgeRounds(values: readonly number[], passes: (value: number) => boolean): Verdict {
  if (values.length === 0) return 'not measured';
  if (values.length < ROUNDS_FOR_A_VERDICT) return 'no verdict';
  const passed = values.filter(passes).length;
  return passed === values.length ? 'met' : passed === 0 ? 'missed' : 'no verdict';
}

/**
 * Judges a count that needs no rounds to be exact, such as leaked answers.
 *
 * @example
 * ```ts
 * judgeExact(rows.length > 0, leaked === 0); // 'met', 'missed', or 'not measured' without rows
 * ```
 */
export function judgeExact(measured: boolean, passes: boolean): Verdict {
  return measured ? (passes ? 'met' : 'missed') : 'not measured';
}

/** A target of the benchmark, judged on one run. */
export interface TargetCheck {
  readonly framework: Framework;
  /** Whether a miss fails the run (exit code 1): a leak through this library is a bug; the rest are goals. */
  readonly failsRun: boolean;
  readonly target: string;
  readonly measured: string;
  readonly verdict: Verdict;
  /** What a miss means, shown with a miss. */
  readonly ifMissed: string;
  /** Why this run cannot tell, shown without a verdict; default `NO_VERDICT`. */
  readonly ifNoVerdict?: string;
}
