// One cost app in its own process, for the callgrind count: prints
// `listening` once ready, its CPU time on SIGUSR2 and SIGTERM, and exits on SIGTERM.
import { COST_APPS, type CostApp, createCostApp } from './apps.js';
import { cpuLine } from './cpu-time.js';

const [name, port] = process.argv.slice(2);
if (!COST_APPS.includes(name as CostApp)) {
  console.error(`Unknown cost app ${JSON.stringify(name)}; expected one of ${COST_APPS.join(', ')}.`);
  process.exit(2);
}
const server = createCostApp(name as CostApp).listen(Number(port), '127.0.0.1', () => console.log('listening'));
// Under valgrind on a loaded machine the server can stall for seconds; Node's
// default 5 s keep-alive timeout then resets a connection the driver is about
// to reuse (ECONNRESET). The timer is still set after each response, as by default.
server.keepAliveTimeout = 10 * 60_000;
// The start of the counted window (bench/cost/measure.ts): the CPU time so far.
process.on('SIGUSR2', () => process.stdout.write(cpuLine()));
process.on('SIGTERM', () => process.stdout.write(cpuLine(), () => process.exit(0)));
