import { type AnsweredRequest, type AnswerVerdict, type LoadSummary, loadAndVerify } from 'current-attributes/testing';
import type { Identity } from './identities.js';
import type { PreparedProbe } from './prepare.js';
import { MAX_ANSWER_BYTES } from './samples.js';

/** One load run of a probe: the warm-up, or a measured run at one connection count. */
export interface ProbeRun {
  readonly phase: 'warm-up' | 'measured';
  readonly connections: number;
  /** False when Ctrl-C stopped it: the summary covers what ran. */
  readonly complete: boolean;
  readonly summary: LoadSummary;
}

/** A user, as examples name it. */
export interface ExampleUser {
  readonly user: number;
  /** `line 4` of the identities file, or `user 4` when generated. */
  readonly label: string;
}

/** One answer shown in full: which user asked, what came back, and whose value it carried. */
export interface AnswerExample {
  readonly phase: ProbeRun['phase'];
  readonly connections: number;
  readonly askedBy: ExampleUser & { readonly expected: string };
  readonly request: {
    readonly method: string;
    readonly path: string;
    readonly headers: Record<string, string>;
    readonly body?: string;
  };
  readonly status: number;
  /** The answer's body, cut at `EXAMPLE_BODY_LIMIT` characters. */
  readonly body: string;
  readonly truncated: boolean;
  /** The value the rule read from the answer, if any. */
  readonly carried: string | undefined;
  /** The user whose value that is, for a leak. */
  readonly carriedFrom: ExampleUser | undefined;
}

/** Everything a probe measured. */
export interface ProbeResult {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Ctrl-C stopped the probe before its last run ended. */
  readonly interrupted: boolean;
  readonly runs: readonly ProbeRun[];
  /** The first leaked answers, in full. */
  readonly leaks: readonly AnswerExample[];
  /** The first answers that carried no user's value, in full. */
  readonly unmatched: readonly AnswerExample[];
}

/** What a probe tells while it runs. */
export interface ProbeHooks {
  /** Stops the load; the result covers what ran, with `interrupted` set. */
  readonly signal?: AbortSignal;
  /** Told before each run starts. */
  readonly onRun?: (run: { index: number; total: number; phase: ProbeRun['phase']; connections: number }) => void;
  /** Told about once a second during a run. */
  readonly onProgress?: (progress: { connections: number; responses: number; leaked: number }) => void;
}

/** How much of an example answer's body is kept. */
const EXAMPLE_BODY_LIMIT = 2000;

/**
 * Runs a prepared probe: the warm-up if asked for, then one measured run per
 * connection count, all through `loadAndVerify`, each answer judged against
 * the user whose request caused it. Call `checkSamples` first.
 *
 * @example
 * ```ts
 * const probe = await prepareProbe(settings);
 * await checkSamples(probe);
 * const result = await runProbe(probe, { onRun: ({ connections }) => console.error(`${connections} connections`) });
 * result.runs.some((run) => run.summary.leaked > 0); // the verdict
 * ```
 */
export async function runProbe(probe: PreparedProbe, hooks: ProbeHooks = {}): Promise<ProbeResult> {
  const { settings, identities, requests, judge } = probe;
  const { signal, onRun, onProgress } = hooks;
  const startedAt = new Date().toISOString();
  const plan = [
    ...(settings.warmupSeconds > 0
      ? [{ phase: 'warm-up' as const, connections: Math.max(...settings.connections) }]
      : []),
    ...settings.connections.map((connections) => ({ phase: 'measured' as const, connections })),
  ];
  const runs: ProbeRun[] = [];
  const leaks: AnswerExample[] = [];
  const unmatched: AnswerExample[] = [];
  const userOf = (index: number) => identities[index % identities.length] as Identity;

  for (const [index, { phase, connections }] of plan.entries()) {
    if (signal?.aborted) break;
    onRun?.({ index: index + 1, total: plan.length, phase, connections });
    const keep = (answer: AnsweredRequest): AnswerVerdict => {
      const { verdict, value, owner } = judge(answer.body, answer.request.expected);
      const examples = verdict === 'leaked' ? leaks : verdict === 'unmatched' ? unmatched : undefined;
      if (examples && examples.length < settings.examples) {
        examples.push(example(answer, userOf(answer.index), value, owner, { phase, connections }));
      }
      return verdict;
    };
    const summary = await loadAndVerify({
      url: settings.origin,
      connections,
      request: (sent) => requests[sent % requests.length] as (typeof requests)[number],
      classify: keep,
      timeoutSeconds: settings.timeoutSeconds,
      maxBodyBytes: MAX_ANSWER_BYTES,
      ...(phase === 'warm-up'
        ? { durationSeconds: settings.warmupSeconds }
        : { durationSeconds: settings.durationSeconds, amount: settings.requests }),
      ratePerSecond: settings.ratePerSecond,
      signal,
      onTick: ({ responses, leaked }) => onProgress?.({ connections, responses, leaked }),
    }).catch((error: unknown) => {
      // Stopped between the check above and the start of the run: nothing of it ran.
      if (signal?.aborted) return undefined;
      throw error;
    });
    if (summary) runs.push({ phase, connections, complete: !signal?.aborted, summary });
  }
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    interrupted: signal?.aborted ?? false,
    runs,
    leaks,
    unmatched,
  };
}

function example(
  answer: AnsweredRequest,
  asker: Identity,
  carried: string | undefined,
  owner: Identity | undefined,
  run: Pick<ProbeRun, 'phase' | 'connections'>,
): AnswerExample {
  const { method = 'GET', path = '/', headers = {}, body, expected } = answer.request;
  return {
    ...run,
    askedBy: { user: asker.number, label: asker.label, expected },
    request: { method, path, headers: { ...headers }, ...(body === undefined ? {} : { body }) },
    status: answer.status,
    body: answer.body.slice(0, EXAMPLE_BODY_LIMIT),
    truncated: answer.body.length > EXAMPLE_BODY_LIMIT,
    carried,
    carriedFrom: owner && { user: owner.number, label: owner.label },
  };
}
