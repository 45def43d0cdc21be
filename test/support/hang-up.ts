import type { Deferred } from 'current-attributes/testing';
import { Current } from './fixtures.js';
import { rawClient } from './raw-client.js';
import { until } from './until.js';

/**
 * Sends `GET /` to `url`, hangs up once the handler `entered`, then lets the
 * handler settle with `finish`: resolves with the locales reset callbacks
 * read before the handler settled (a turn after the hang-up) and after it.
 */
export async function resetsAroundHangUp(
  url: string,
  entered: Deferred<void>,
  finish: Deferred<void>,
): Promise<{ beforeSettled: string[]; afterSettled: string[] }> {
  const resets: string[] = [];
  const removeCallback = Current.beforeReset(() => resets.push(Current.locale));
  try {
    const client = await rawClient(url);
    client.write('GET / HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    await entered.promise;
    await client.hangUp();
    await new Promise((resolve) => setImmediate(resolve));
    const beforeSettled = [...resets];
    finish.resolve();
    await until(() => resets.length > 0);
    return { beforeSettled, afterSettled: resets };
  } finally {
    removeCallback();
  }
}
