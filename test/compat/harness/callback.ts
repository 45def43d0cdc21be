/** A Node-style callback. */
export type Callback<T> = (error: Error | null | undefined, value: T) => void;

/**
 * Calls a callback API and waits for its callback, which runs `inCallback`
 * first (where the cell reads Current) and then settles the promise. The
 * promise only lets the request wait; the read is in the callback itself.
 */
export function viaCallback<T>(call: (callback: Callback<T>) => void, inCallback: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    call((error, value) => {
      if (error) return reject(error);
      inCallback(value);
      resolve(value);
    }),
  );
}
