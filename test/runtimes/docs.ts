/**
 * `npm run runtimes:docs`: writes docs/runtimes.md from the latest run of
 * `npm run runtimes` (results/latest.json) and of `npm run runtimes:suites`
 * (results/suites.json). The page is never edited by hand.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness/launch.js';
import { renderPage } from './harness/page.js';
import type { RuntimesResults } from './harness/results.js';
import type { SuitesResults } from './harness/suites.js';

const source = join(ROOT, 'test/runtimes/results/latest.json');
const target = join(ROOT, 'docs/runtimes.md');

let results: RuntimesResults;
try {
  results = JSON.parse(readFileSync(source, 'utf8')) as RuntimesResults;
} catch (error) {
  throw new Error(`No results to publish at ${source}: run \`npm run runtimes\` first.`, { cause: error });
}
// The suites' run (`npm run runtimes:suites`) is published beside it when there is one.
const suitesSource = join(ROOT, 'test/runtimes/results/suites.json');
const suites = existsSync(suitesSource) ? (JSON.parse(readFileSync(suitesSource, 'utf8')) as SuitesResults) : undefined;
writeFileSync(target, renderPage(results, suites));
console.log(
  `Wrote ${target} from the run finished at ${results.finishedAt}` +
    (suites === undefined ? ', with no run of the suites.' : ` and the suites' run finished at ${suites.finishedAt}.`),
);
