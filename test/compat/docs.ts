/**
 * `npm run compat:docs`: writes docs/compatibility.md from the latest run of
 * `npm run compat` (results/latest.json). The page is never edited by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderPage } from './harness/page.js';
import type { MatrixResults } from './harness/results.js';
import { notMeasured } from './not-measured.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const source = join(here, 'results', 'latest.json');
const target = join(here, '..', '..', 'docs', 'compatibility.md');

let results: MatrixResults;
try {
  results = JSON.parse(readFileSync(source, 'utf8')) as MatrixResults;
} catch (error) {
  throw new Error(`No results to publish at ${source}: run \`npm run compat\` first.`, { cause: error });
}
writeFileSync(target, renderPage(results, notMeasured));
console.log(`Wrote ${target} from the run finished at ${results.finishedAt}.`);
