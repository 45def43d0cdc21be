/**
 * Runs every row of the matrix on the Node this process runs on (one runtime
 * mode), against the servers the parent started, and writes the results as
 * JSON. Started by matrix.ts, once per runtime mode.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { allRows } from './cells/index.js';
import { type RowResult, runRow, unmeasured } from './harness/run-row.js';
import { waitForServices } from './harness/wait-for-services.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    only: { type: 'string' },
    concurrency: { type: 'string', default: '6' },
    'timeout-ms': { type: 'string', default: '30000' },
  },
});
const servicesFile = process.env.COMPAT_SERVICES_FILE;
const namespace = process.env.COMPAT_NAMESPACE ?? 'compat';
if (servicesFile === undefined)
  throw new Error('Run the matrix with `npm run compat`: COMPAT_SERVICES_FILE is not set.');
const only = values.only === undefined ? undefined : new RegExp(values.only);
const options = { concurrency: Number(values.concurrency), timeoutMs: Number(values['timeout-ms']) };

const results: RowResult[] = [];
for (const row of allRows) {
  if (only !== undefined && !only.test(row.id)) continue;
  const rowStart = Date.now();
  const result = await waitForServices(servicesFile, row.needs, namespace, 420_000).then(
    (services) => runRow(row, services, options),
    (error: Error) => unmeasured(row.id, error.message),
  );
  results.push(result);
  process.stderr.write(
    `${result.verdict.padEnd(5)} ${row.id} ${JSON.stringify(result.reads)} ${Date.now() - rowStart} ms\n`,
  );
}
if (values.out !== undefined) writeFileSync(values.out, JSON.stringify(results, null, 2));
else console.log(JSON.stringify(results, null, 2));
// Clients that keep a socket or a timer after `stop` must not keep the run alive.
process.exit(0);
