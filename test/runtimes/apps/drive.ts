import { Agent, fetch } from 'undici';

/** What a burst of requests read, counted against the user each request said it was. */
export interface ServeReads {
  readonly ok: number;
  /** Read no user: the request's context was lost. */
  readonly lost: number;
  /** Read another request's user. */
  readonly wrong: number;
  /** Requests that failed or were answered with an error status. */
  readonly failed: number;
  /** Requests that found another holder inside the global lock. */
  readonly overlaps: number;
  /** One failure's message, for the page. */
  readonly firstFailure?: string;
}

/**
 * Sends `amount` concurrent requests to `/read` and then to `/locked` of an
 * app of this directory at `url`, each as its own user, and counts what they
 * read. The app counts the holders inside its lock; an overlap means two.
 *
 * @example
 * ```ts
 * const reads = await driveApp('http://127.0.0.1:3000', 2000);
 * ```
 */
export async function driveApp(url: string, amount: number): Promise<ServeReads> {
  const counts = { ok: 0, lost: 0, wrong: 0, failed: 0, overlaps: 0 };
  let firstFailure: string | undefined;
  const burst = async (path: string, read: (text: string) => { user: string; overlap: boolean }) => {
    // A pool of its own per burst: a connection kept from the last burst may be closed by the server
    // (its keep-alive timeout) just as a request is sent on it, which is not what is measured.
    const dispatcher = new Agent({ connections: amount });
    await Promise.all(
      Array.from({ length: amount }, async (_, index) => {
        const user = `user-${index}`;
        try {
          const response = await fetch(`${url}${path}`, { headers: { 'x-user': user }, dispatcher });
          const text = await response.text();
          if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 200)}`);
          const seen = read(text);
          if (seen.overlap) counts.overlaps += 1;
          if (seen.user === user) counts.ok += 1;
          else if (seen.user === '') counts.lost += 1;
          else counts.wrong += 1;
        } catch (error) {
          counts.failed += 1;
          firstFailure ??=
            error instanceof Error ? `${error.message} ${String(error.cause ?? '')}`.trim() : String(error);
        }
      }),
    );
    await dispatcher.close();
  };
  await burst('/read', (text) => ({ user: text, overlap: false }));
  await burst('/locked', (text) => {
    const { user, overlap } = JSON.parse(text) as { user?: string; overlap: boolean };
    return { user: user ?? '', overlap };
  });
  return firstFailure === undefined ? counts : { ...counts, firstFailure };
}
