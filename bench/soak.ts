// `npm run bench:soak`: every adapter's scope middleware and `globalLock()`
// under a mix of clients (plain and streamed answers, clients that hang up
// mid-handler, mid-stream and while queued, pipelined connections that die),
// counting wrong reads of `Current`, requests whose code ran beside the lock's
// holder, and how long the lock stayed held once no holder's code ran. The
// promise is 0, 0, and under a second. See docs/locks.md.
import { parseArgs } from 'node:util';
import { SOAK_FRAMEWORKS, type SoakFramework } from './soak/apps.js';
import { IDLE_HOLD_LIMIT_MS, type SoakFigures, soak, soakPassed } from './soak/run.js';

const { values } = parseArgs({
  options: {
    framework: { type: 'string', default: 'all' },
    requests: { type: 'string', default: '200000' },
    concurrency: { type: 'string', default: '50' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`npm run bench:soak -- [--framework all|${SOAK_FRAMEWORKS.join(',')}] [--requests 200000] [--concurrency 50]

Soaks each framework's adapter in turn; exits 1 unless every one had 0 wrong reads, 0 overlaps,
no lock released by abandonedHoldMs, and no lock held ${IDLE_HOLD_LIMIT_MS} ms or more after its holders' code ended.`);
  process.exit(0);
}
const frameworks = (values.framework === 'all' ? [...SOAK_FRAMEWORKS] : values.framework.split(',')) as SoakFramework[];
const unknown = frameworks.filter((framework) => !SOAK_FRAMEWORKS.includes(framework));
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
if (
  unknown.length > 0 ||
  !Number.isSafeInteger(requests) ||
  requests < 1 ||
  !Number.isSafeInteger(concurrency) ||
  concurrency < 1
) {
  console.error(
    `Expected --framework all or some of ${SOAK_FRAMEWORKS.join(', ')}, and whole numbers for --requests and --concurrency; got ${JSON.stringify(values)}.`,
  );
  process.exit(2);
}

const results: SoakFigures[] = [];
for (const framework of frameworks) {
  console.log(`${framework}: ${requests} requests, ${concurrency} clients at a time`);
  const figures = await soak(framework, {
    requests,
    concurrency,
    onProgress: (done) => console.log(`  ${framework}: ${done} of ${requests} requests`),
  });
  console.log(JSON.stringify(figures, null, 2));
  results.push(figures);
}
const failed = results.filter((figures) => !soakPassed(figures)).map((figures) => figures.framework);
console.log(failed.length === 0 ? 'Every adapter kept its promises.' : `Broken promises: ${failed.join(', ')}.`);
process.exit(failed.length === 0 ? 0 : 1);
