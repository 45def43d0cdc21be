/**
 * `npm run runtimes:docs`: writes docs/runtimes.md from the latest run of
 * `npm run runtimes` (results/latest.json). The page is never edited by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness/launch.js';
import { renderPage } from './harness/page.js';
import type { RuntimesResults } from './harness/results.js';

const source = join(ROOT, 'test/runtimes/results/latest.json');
const target = join(ROOT, 'docs/runtimes.md');

let results: RuntimesResults;
try {
  results = JSON.parse(readFileSync(source, 'utf8')) as RuntimesResults;
} catch (error) {
  throw new Error(`No results to publish at ${source}: run \`npm run runtimes\` first.`, { cause: error });
}
writeFileSync(target, renderPage(results));
console.log(`Wrote ${target} from the run finished at ${results.finishedAt}.`);
