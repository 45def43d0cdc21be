// The benchmark itself, compiled to bench/.build and started by `npm run bench`
// (bench/start.ts) once the library and this are built. See docs/benchmarks.md.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BenchArgumentError, parseBenchArgs, USAGE } from './args.js';
import { renderChart } from './chart/figure.js';
import { renderChartPage } from './chart/page.js';
import { costUnit } from './cost.js';
import { plural } from './format.js';
import { headlines } from './headline.js';
import { PUBLISHED, publish } from './publish.js';
import { renderMachine, renderTable, renderTargets } from './report.js';
import { runBenchmark } from './run.js';
import { ServerProcessError } from './server-process.js';
import { renderCostTable, renderOverheadTable } from './summaries.js';
import { checkTargets } from './targets.js';

async function main(): Promise<number> {
  const settings = parseBenchArgs(process.argv.slice(2));
  if (settings === undefined) {
    console.log(USAGE);
    return 0;
  }
  if (settings.costStrategies.length > 0 && costUnit() === 'cpu-microseconds') {
    console.log(
      "valgrind is not installed: the cost per request is the servers' CPU time, not instructions. CPU time moves by\n" +
        '10% or more between runs, more on a busy machine, so the 2% cost targets are judged on noise. For instruction\n' +
        'counts, which repeat to about 3%, install valgrind (apt-get install -y valgrind) and run again.\n',
    );
  }
  const interrupted = new AbortController();
  process.once('SIGINT', () => {
    console.error('\nInterrupted: stopping the load and the server processes.');
    interrupted.abort();
  });

  const result = await runBenchmark(settings, {
    signal: interrupted.signal,
    onStep: ({ index, total, label, secondsLeft }) => {
      const minutes = Math.floor(secondsLeft / 60);
      const left =
        minutes > 0 ? `${minutes} min ${Math.round(secondsLeft % 60)} s` : plural(Math.round(secondsLeft), 'second');
      console.log(`[${index}/${total}] ${label} (about ${left} left)`);
    },
  });

  const checks = checkTargets(result);
  const report = [
    headlines(result).join('\n'),
    renderMachine(result),
    ...settings.frameworks.map(
      (framework) => `${framework}:\n\n${renderTable(result.rows.filter((row) => row.framework === framework))}`,
    ),
    renderOverheadTable(result),
    ...(result.cost ? [renderCostTable(result.cost)] : []),
    `Targets:\n${renderTargets(checks)}`,
  ].join('\n\n');
  console.log(`\n${report}`);

  await mkdir(settings.outDir, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const file = (extension: string) => path.join(settings.outDir, `bench-${stamp}.${extension}`);
  await writeFile(file('json'), `${JSON.stringify({ ...result, targets: checks }, null, 2)}\n`);
  await writeFile(file('svg'), renderChart(result, checks));
  await writeFile(file('html'), renderChartPage(result, checks, report));
  console.log(
    `\nWrote ${file('json')}\nWrote ${file('svg')} (the chart)\nWrote ${file('html')} (the chart and the tables: open it in a browser)`,
  );
  if (settings.publish) {
    await publish(new URL('../../', import.meta.url), result, checks, process.argv.slice(2));
    console.log(`Wrote ${PUBLISHED.chart} and the run's section of ${PUBLISHED.page}`);
  }
  return checks.some((check) => check.failsRun && check.verdict === 'missed') ? 1 : 0;
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
