/**
 * Settles like `work`, unless `ms` pass first (rejects with `timedOut()`) or
 * `signal` aborts first (rejects with its reason). `work` goes on: the caller
 * undoes its late result if it must. The bound of every call to a lock
 * backend, so no outage can hold a caller past its budget.
 *
 * Hand-written rather than p-timeout, which does the same, because it would
 * be the package's only runtime dependency, for these few lines.
 *
 * @example
 * ```ts
 * const reply = await settleWithin(client.get(key), 1000, signal, () => new Error('Redis did not answer'));
 * ```
 */
export function settleWithin<T>(
  work: Promise<T>,
  ms: number,
  signal: AbortSignal | undefined,
  timedOut: () => unknown,
): Promise<T> {
  if (ms === Number.POSITIVE_INFINITY && signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const onAbort = () => finish(() => reject(signal?.reason));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (ms !== Number.POSITIVE_INFINITY) timer = setTimeout(() => finish(() => reject(timedOut())), Math.max(0, ms));
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
