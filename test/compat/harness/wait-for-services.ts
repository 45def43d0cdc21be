import { readFileSync } from 'node:fs';
import type { Service, Services } from './cell.js';
import type { ServicesState } from './services.js';

/**
 * The URLs of the servers a row needs, read from the file the matrix
 * publishes them to, waiting until they are ready. Polls: the file is
 * rewritten whole, a handful of times per run.
 */
export async function waitForServices(
  file: string,
  needs: readonly Service[],
  namespace: string,
  timeoutMs: number,
): Promise<Services> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = JSON.parse(readFileSync(file, 'utf8')) as ServicesState;
    if (needs.every((service) => state.urls[service] !== undefined)) {
      return { postgres: '', redis: '', mariadb: '', rabbitmq: '', ...state.urls, namespace };
    }
    if (state.failed !== undefined) throw new Error(`A server did not start: ${state.failed}`);
    if (Date.now() > deadline) throw new Error(`${needs.join(', ')} not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
