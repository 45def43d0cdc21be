// One strategy's server on one framework, started by the benchmark in its own
// process (on Node < 24 one AsyncLocalStorage slows every promise of its
// process, so strategies must not share one):
//
//   node server.js <framework>:<strategy> <port>
//
// It prints `listening` once ready, `cpu <µs> <µs on the event loop>` on SIGUSR2 and again on SIGTERM before it exits:
// the protocol of the cost measurement (bench/cost/measure.ts). Forked with an
// IPC channel, it also tells the parent its port and answers `cpu` and `heap`.
import type { AddressInfo } from 'node:net';
import { createBenchServer } from './apps/index.js';
import { cpuLine } from './cost/cpu-time.js';
import { FRAMEWORKS, type Framework, STRATEGIES, type Strategy } from './frameworks.js';
import { hasNativeServer, serveNatively } from './native-serve.js';

const [name = '', port = '0'] = process.argv.slice(2);
const [framework, strategy] = name.split(':') as [Framework, Strategy];
if (!FRAMEWORKS.includes(framework) || !STRATEGIES.includes(strategy)) {
  console.error(
    `Unknown server ${JSON.stringify(name)}; expected <framework>:<strategy> with a framework of ` +
      `${FRAMEWORKS.join(', ')} and a strategy of ${STRATEGIES.join(', ')}.`,
  );
  process.exit(2);
}

const ready = (listening: number) => {
  console.log('listening');
  process.send?.({ type: 'ready', port: listening });
};
if (framework === 'hono' && hasNativeServer()) {
  // Hono on Bun or Deno: their own server with app.fetch, not @hono/node-server.
  const { createHonoApp } = await import('./apps/hono.js');
  ready(await serveNatively(createHonoApp(strategy).fetch, Number(port)));
} else {
  const server = await createBenchServer(framework, strategy);
  server.on('error', (error) => {
    console.error(`The ${name} server failed: ${error.message}`);
    process.exit(1);
  });
  // The cost run drives the server over one keep-alive connection while
  // valgrind runs it ~50x slower: a pause longer than Node's keep-alive timeout
  // (5 s; a compile or a GC under valgrind on a loaded machine) let the timer
  // close the socket while the next request was already in its buffer, and the
  // driver died with ECONNRESET. The timeouts guard against idle clients, which
  // the benchmark's own load never is.
  server.keepAliveTimeout = 3_600_000;
  server.headersTimeout = 3_600_000;
  server.requestTimeout = 0;
  server.listen(Number(port), '127.0.0.1', () => ready((server.address() as AddressInfo).port));
}

const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
// Node and Deno have gc() with --expose-gc; Bun has Bun.gc(true) and no flag.
const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
const collectGarbage = globalThis.gc ?? (bun ? () => bun.gc(true) : undefined);
process.on('message', (message: { type: string }) => {
  if (message.type === 'cpu') process.send?.({ type: 'cpu', micros: cpuMicros() });
  if (message.type === 'heap') {
    // Twice: the first pass can leave objects that only the second frees.
    collectGarbage?.();
    collectGarbage?.();
    process.send?.({ type: 'heap', heapUsed: process.memoryUsage().heapUsed });
  }
});
// The start of a counted cost window (bench/cost/measure.ts): the CPU time so far.
process.on('SIGUSR2', () => process.stdout.write(cpuLine()));
process.on('SIGTERM', () => process.stdout.write(cpuLine(), () => process.exit(0)));
process.on('disconnect', () => process.exit(0));
