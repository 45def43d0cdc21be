// One strategy's server, started by the benchmark in its own process (on
// Node < 24 one AsyncLocalStorage slows every promise of its process, so
// strategies must not share one). Talks to the parent over IPC.
import type { AddressInfo } from 'node:net';
import { createStrategyApp, STRATEGIES, type Strategy } from './strategies.js';

const strategy = process.env.BENCH_STRATEGY as Strategy;
if (!STRATEGIES.includes(strategy)) {
  console.error(`Unknown BENCH_STRATEGY ${JSON.stringify(strategy)}; expected one of ${STRATEGIES.join(', ')}.`);
  process.exit(2);
}

const collectGarbage = globalThis.gc;
const server = createStrategyApp(strategy).listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
});
server.on('error', (error) => {
  console.error(`The ${strategy} server failed: ${error.message}`);
  process.exit(1);
});

process.on('message', (message: { type: string }) => {
  if (message.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ type: 'cpu', micros: user + system });
  }
  if (message.type === 'heap') {
    // Twice: the first pass can leave objects that only the second frees.
    collectGarbage?.();
    collectGarbage?.();
    process.send?.({ type: 'heap', heapUsed: process.memoryUsage().heapUsed });
  }
});
process.on('disconnect', () => process.exit(0));
