/**
 * The context-loss suite on the runtime that runs this file (Node with tsx,
 * Bun, Deno): prints one JSON array of results. Started by
 * test/runtimes/run.ts with the echo server's URL as its argument.
 *
 *   bun test/runtimes/probes/main.ts [echo URL] [--only <regexp>]
 */
import { allProbes } from './index.js';
import { runProbes } from './run-probes.js';

const [echoUrl, flag, pattern] = process.argv.slice(2);
const only = flag === '--only' && pattern !== undefined ? new RegExp(pattern) : undefined;
const probes = allProbes.filter((probe) => only === undefined || only.test(probe.id));
// 30 s, not 10: in CI the runner that serves the echo drives another runtime's apps at the same time.
const results = await runProbes(probes, { echoUrl: echoUrl || undefined, timeoutMs: 30_000 });
process.stdout.write(`${JSON.stringify(results)}\n`, () => process.exit(0));
