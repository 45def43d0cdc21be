// One cost app in its own process, for the callgrind count: prints
// `listening` once ready, its CPU time on SIGUSR2 and SIGTERM, and exits on SIGTERM.
import { createServer, type Server } from 'node:http';
import { createBenchServer } from '../apps/index.js';
import type { Framework, Strategy } from '../frameworks.js';
import { COST_APPS, type CostApp, createCostApp, isFrameworkApp } from './apps.js';
import { cpuLine } from './cpu-time.js';

const [name, port] = process.argv.slice(2);
if (!COST_APPS.includes(name as CostApp)) {
  console.error(`Unknown cost app ${JSON.stringify(name)}; expected one of ${COST_APPS.join(', ')}.`);
  process.exit(2);
}
const app = name as CostApp;
let server: Server;
if (isFrameworkApp(app)) {
  const [framework, strategy] = app.split(':') as [Framework, Strategy];
  server = await createBenchServer(framework, strategy);
} else server = createServer(createCostApp(app));
// Under valgrind on a loaded machine the server can stall for seconds; Node's
// default 5 s keep-alive timeout then resets a connection the driver is about
// to reuse (ECONNRESET). The timer is still set after each response, as by default.
server.keepAliveTimeout = 10 * 60_000;
server.listen(Number(port), '127.0.0.1', () => console.log('listening'));
// The start of the counted window (bench/cost/measure.ts): the CPU time so far.
process.on('SIGUSR2', () => process.stdout.write(cpuLine()));
process.on('SIGTERM', () => process.stdout.write(cpuLine(), () => process.exit(0)));
