import type { BenchResult } from '../run.js';
import type { TargetCheck } from '../targets.js';
import { renderChart } from './figure.js';
import { escapeXml } from './svg.js';

/**
 * A self-contained HTML page: the chart, the tables and the targets with what each miss means.
 *
 * @example
 * ```ts
 * await writeFile('bench.html', renderChartPage(result, checks, report));
 * ```
 */
export function renderChartPage(result: BenchResult, checks: readonly TargetCheck[], report: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>current-attributes benchmark</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1250px}pre{font-size:12px;overflow-x:auto}</style></head>
<body>
${renderChart(result, checks)}
<pre>${escapeXml(report)}</pre>
</body></html>
`;
}
