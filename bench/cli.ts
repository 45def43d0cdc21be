// `npm run bench`: leak rate and throughput of a module-level global, a global
// lock, Current and raw AsyncLocalStorage, side by side. See the README.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BenchArgumentError, parseBenchArgs, USAGE } from './args.js';
import { renderChartPage } from './chart.js';
import { checkTargets, renderMachine, renderTable, renderTargets } from './report.js';
import { runBenchmark } from './run.js';
import { ServerProcessError } from './server-process.js';

async function main(): Promise<number> {
  const settings = parseBenchArgs(process.argv.slice(2));
  if (settings === undefined) {
    console.log(USAGE);
    return 0;
  }
  const interrupted = new AbortController();
  process.once('SIGINT', () => {
    console.error('\nInterrupted: stopping the load and the server processes.');
    interrupted.abort();
  });

  const result = await runBenchmark(settings, {
    signal: interrupted.signal,
    onStep: ({ index, total, label, secondsLeft }) => {
      const left =
        secondsLeft >= 60
          ? `${Math.floor(secondsLeft / 60)} min ${Math.round(secondsLeft % 60)} s`
          : `${Math.round(secondsLeft)} s`;
      console.log(`[${index}/${total}] ${label} (about ${left} left)`);
    },
  });

  const table = renderTable(result.rows);
  console.log(`\n${renderMachine(result)}\n\n${table}\n\nTargets:\n${renderTargets(checkTargets(result))}`);
  await mkdir(settings.outDir, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const json = path.join(settings.outDir, `bench-${stamp}.json`);
  const html = path.join(settings.outDir, `bench-${stamp}.html`);
  await writeFile(json, `${JSON.stringify({ ...result, targets: checkTargets(result) }, null, 2)}\n`);
  await writeFile(html, renderChartPage(result, table));
  console.log(`\nWrote ${json}\nWrote ${html} (open it in a browser for the charts)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof BenchArgumentError || error instanceof ServerProcessError) {
      console.error(error.message);
      process.exit(2);
    }
    if (error instanceof Error && error.name === 'AbortError') process.exit(130);
    console.error(error);
    process.exit(1);
  },
);
