import type { ProbeResult } from './run.js';

/**
 * The exit codes of `current-attributes-probe`, so a CI job can gate on a
 * staging server: only `noLeak` is 0.
 *
 * @example
 * ```ts
 * process.exitCode = probeVerdict(result).exitCode; // 1 when any answer leaked
 * ```
 */
export const EXIT_CODES = {
  /** Every run ended, answers were checked, none carried another user's value. */
  noLeak: 0,
  /** At least one answer carried another user's value (also when stopped by Ctrl-C, or in the warm-up). */
  leaked: 1,
  /** Bad usage or input: nothing, or only the sample requests, was sent. */
  badInput: 2,
  /** No answer could be checked: every request failed, timed out or was answered other than 2xx. */
  inconclusive: 3,
  /** The probe itself failed unexpectedly (a bug): the message on stderr says where. */
  crashed: 4,
  /** Ctrl-C stopped the probe before it ended, with no leak seen so far. */
  interrupted: 130,
} as const;

/** What a probe found, in one word, with its exit code and a sentence. */
export interface ProbeVerdict {
  readonly kind: keyof typeof EXIT_CODES;
  readonly exitCode: number;
  readonly text: string;
}

/**
 * Judges a probe's result: a leak anywhere decides; then an interruption;
 * then whether anything could be checked at all.
 *
 * @example
 * ```ts
 * probeVerdict(result).text; // 'No leak: each of 5,000 checked answers carried its own user's value.'
 * ```
 */
export function probeVerdict(result: ProbeResult): ProbeVerdict {
  const total = (pick: (run: ProbeResult['runs'][number]) => number) =>
    result.runs.reduce((sum, run) => sum + pick(run), 0);
  const leaked = total(({ summary }) => summary.leaked);
  const checked = total(({ summary }) => summary.successful + summary.leaked + summary.unmatched);
  const failed = total(({ summary }) => summary.failed);
  const unmatched = total(({ summary }) => summary.unmatched);
  const n = (value: number) => value.toLocaleString('en-US');
  const besides = unmatched > 0 ? ` ${n(unmatched)} carried no user's value: see them below.` : '';
  if (leaked > 0) {
    return verdict(
      'leaked',
      `LEAK: ${n(leaked)} of ${n(checked)} checked answers carried another user's value.${besides}`,
    );
  }
  if (result.interrupted) {
    return verdict('interrupted', `Interrupted: no leak in the ${n(checked)} answers checked before Ctrl-C.${besides}`);
  }
  if (checked === 0) {
    return verdict(
      'inconclusive',
      `Inconclusive: no answer could be checked (${n(failed)} failed). Look at the server, or raise --timeout.`,
    );
  }
  return verdict('noLeak', `No leak: none of ${n(checked)} checked answers carried another user's value.${besides}`);
}

function verdict(kind: keyof typeof EXIT_CODES, text: string): ProbeVerdict {
  return { kind, exitCode: EXIT_CODES[kind], text };
}
