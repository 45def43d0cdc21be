import type { RequestListener } from 'node:http';
import { afterEach } from 'vitest';
import { listen, type RunningServer } from './listen.js';

/**
 * For a test file whose tests each start their own servers: returns a
 * `start(handler)` that listens on 127.0.0.1 and resolves with the URL, and
 * closes every server a test started once that test ends. Call it at the top
 * level of the file.
 */
export function serversPerTest(): (handler: RequestListener) => Promise<string> {
  let running: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(running.map((server) => server.close()));
    running = [];
  });
  return async (handler) => {
    const server = await listen(handler);
    running.push(server);
    return server.url;
  };
}
