import { Current, type ProbeCase } from './case.js';

/**
 * A probe's verdict on one runtime: every scope read its own id (`ok`), some
 * read nothing (`lost`), some read another scope's (`wrong`); the runtime
 * lacks the API (`unsupported`); or the probe failed another way (`error`).
 */
export type ProbeVerdict = 'ok' | 'lost' | 'wrong' | 'unsupported' | 'error';

export interface ProbeResult {
  readonly id: string;
  readonly verdict: ProbeVerdict;
  readonly reads: { readonly ok: number; readonly lost: number; readonly wrong: number };
  /** Why it is `unsupported` or an `error`; what a wrong read saw. */
  readonly note?: string;
}

export interface ProbeOptions {
  readonly echoUrl: string | undefined;
  /** How long a probe may take before it is an `error`: a callback that never comes. */
  readonly timeoutMs?: number;
}

/** Errors that say the runtime does not have the API, rather than that it misbehaved. */
const UNSUPPORTED =
  /not (yet )?implemented|not supported|unsupported|no such module|cannot find module|is not a function/i;

/**
 * Runs each probe in turn, each in several fresh scopes at once, and judges
 * what the scopes read.
 *
 * @example
 * ```ts
 * const results = await runProbes(allProbes, { echoUrl: 'http://127.0.0.1:8080/' });
 * ```
 */
export async function runProbes(probes: readonly ProbeCase[], options: ProbeOptions): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const probe of probes) results.push(await runProbe(probe, options));
  return results;
}

async function runProbe(probe: ProbeCase, { echoUrl, timeoutMs = 10_000 }: ProbeOptions): Promise<ProbeResult> {
  const none = { ok: 0, lost: 0, wrong: 0 };
  let missing: string | undefined;
  try {
    missing = probe.unavailable?.({ echoUrl });
  } catch (error) {
    missing = messageOf(error);
  }
  if (missing !== undefined) return { id: probe.id, verdict: 'unsupported', reads: none, note: missing };
  const ids = Array.from({ length: probe.scopes ?? 8 }, (_, index) => `${probe.id}:${index}`);
  let reads: unknown[];
  try {
    reads = await withTimeout(
      Promise.all(
        ids.map((id) =>
          Current.run(async () => {
            Current.requestId = id;
            return probe.read({ id, echoUrl });
          }),
        ),
      ),
      timeoutMs,
    );
  } catch (error) {
    const note = messageOf(error);
    return { id: probe.id, verdict: UNSUPPORTED.test(note) ? 'unsupported' : 'error', reads: none, note };
  }
  const counts = { ok: 0, lost: 0, wrong: 0 };
  let wrongRead: unknown;
  reads.forEach((read, index) => {
    if (read === ids[index]) counts.ok += 1;
    else if (read === undefined) counts.lost += 1;
    else {
      counts.wrong += 1;
      wrongRead ??= read;
    }
  });
  const verdict = counts.wrong > 0 ? 'wrong' : counts.lost > 0 ? 'lost' : 'ok';
  return {
    id: probe.id,
    verdict,
    reads: counts,
    ...(wrongRead === undefined ? {} : { note: `read ${JSON.stringify(wrongRead)}` }),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0] as string;
}
