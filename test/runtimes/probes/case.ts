import { defineCurrent } from 'current-attributes';

/** The one attribute a probe reads: which scope ("request") the code runs for. */
class ProbeAttributes {
  requestId?: string;
}

/** The definition every probe reads, through the library's public API as users do. */
export const Current = defineCurrent(ProbeAttributes, { name: 'RuntimeProbe' });

/** Where a probe's API lives, for grouping on the page. */
export type ProbeGroup =
  | 'library'
  | 'promises'
  | 'timers'
  | 'events and streams'
  | 'I/O'
  | 'threads'
  | 'AsyncLocalStorage itself';

/** What a probe's `read` is given: its scope's id, and what the runner set up for every probe. */
export interface ProbeInput {
  readonly id: string;
  /** An HTTP echo server on 127.0.0.1 that answers `ok`, when the runner has one. */
  readonly echoUrl: string | undefined;
}

/**
 * One way async code resumes: `read` runs in a fresh scope whose
 * `Current.requestId` is `input.id`, sets the API going, and resolves with
 * what `Current.requestId` read where the runtime resumed the code. Several
 * scopes run it at once, so a runtime that hands out another scope's values
 * shows as `wrong`, not only as `lost`.
 */
export interface ProbeCase {
  /** Stable key in the results and the baseline, such as `timers.setTimeout`. */
  readonly id: string;
  /** What is measured, for the page, such as "a setTimeout callback". */
  readonly title: string;
  readonly group: ProbeGroup;
  /** Why the runtime cannot run the probe (it lacks the API), or undefined: such a probe is `unsupported`, not a failure. */
  readonly unavailable?: (input: Omit<ProbeInput, 'id'>) => string | undefined;
  /** Scopes that run it at once (default 8): fewer where each is a thread or a process. */
  readonly scopes?: number;
  readonly read: (input: ProbeInput) => unknown;
}

/** Reads `Current.requestId` where the calling code runs. */
export const readId = (): string | undefined => Current.requestId;

/** A promise and the function that resolves it with a read, for callback APIs. */
export function callbackRead(): { promise: Promise<unknown>; read: () => void; fail: (error: unknown) => void } {
  let resolve!: (value: unknown) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<unknown>((res, rej) => {
    resolve = res;
    fail = rej;
  });
  return { promise, read: () => resolve(readId()), fail };
}

/** Whether the code runs in Cloudflare's workerd, which names itself in `navigator.userAgent`. */
export const inWorkerd = (): boolean =>
  typeof navigator === 'object' && (navigator as { userAgent?: string }).userAgent === 'Cloudflare-Workers';

/** `unavailable` of a probe that needs the runner's echo server. */
export const needsEcho = ({ echoUrl }: { echoUrl: string | undefined }): string | undefined =>
  echoUrl === undefined ? 'the runner started no echo server' : undefined;
