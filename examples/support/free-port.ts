import { createServer } from 'node:net';

/**
 * A port of 127.0.0.1 that was free a moment ago, for a server the tests
 * start (redis-server, postgres), which take a port number, not port 0.
 *
 * @example
 * ```ts
 * const port = await freeLoopbackPort();
 * spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1']);
 * ```
 */
export async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
