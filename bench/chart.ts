import type { BenchResult, BenchRow } from './run.js';
import { STRATEGIES } from './strategies.js';

// Hand-written SVG rather than a chart library: the page must open from disk
// with no network and no script, and two bar charts are a few dozen lines.

const COLORS: Record<string, string> = {
  global: '#d62728',
  'global-lock': '#ff7f0e',
  current: '#2ca02c',
  als: '#1f77b4',
};

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);

interface ChartSpec {
  readonly title: string;
  readonly rows: readonly BenchRow[];
  readonly value: (row: BenchRow) => number;
  readonly log: boolean;
  readonly unit: string;
}

/** A grouped bar chart: one group per connection count, one bar per strategy. */
function barChart({ title, rows, value, log, unit }: ChartSpec): string {
  const width = 560;
  const height = 280;
  const left = 60;
  const bottom = 60;
  const top = 30;
  const groups = [...new Set(rows.map((row) => row.connections))];
  const strategies = STRATEGIES.filter((strategy) => rows.some((row) => row.strategy === strategy));
  const max = Math.max(1, ...rows.map(value));
  const scale = (v: number) => {
    const plot = height - top - bottom;
    if (!log) return (plot * v) / max;
    return v <= 1 ? 0 : (plot * Math.log10(v)) / Math.log10(max);
  };
  const groupWidth = (width - left - 10) / Math.max(groups.length, 1);
  const barWidth = (groupWidth - 16) / Math.max(strategies.length, 1);
  const bars = groups.flatMap((connections, g) =>
    strategies.map((strategy, s) => {
      const row = rows.find((r) => r.connections === connections && r.strategy === strategy);
      if (!row) return '';
      const v = value(row);
      const h = scale(v);
      const x = left + g * groupWidth + 8 + s * barWidth;
      const y = height - bottom - h;
      const label = v >= 100 ? Math.round(v).toString() : v.toFixed(1);
      return (
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[strategy]}">` +
        `<title>${escapeHtml(`${strategy}, ${connections} connections: ${label} ${unit}`)}</title></rect>` +
        `<text x="${(x + barWidth / 2 - 1).toFixed(1)}" y="${(y - 3).toFixed(1)}" font-size="9" text-anchor="middle">${label}</text>`
      );
    }),
  );
  const axis = groups.map(
    (connections, g) =>
      `<text x="${(left + g * groupWidth + groupWidth / 2).toFixed(1)}" y="${height - bottom + 16}" font-size="11" text-anchor="middle">${connections} conn.</text>`,
  );
  const legend = strategies.map(
    (strategy, s) =>
      `<rect x="${left + s * 120}" y="${height - 22}" width="10" height="10" fill="${COLORS[strategy]}"/>` +
      `<text x="${left + s * 120 + 14}" y="${height - 13}" font-size="11">${strategy}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">
<text x="${left}" y="18" font-size="13" font-weight="bold">${escapeHtml(title)}</text>
<line x1="${left}" y1="${height - bottom}" x2="${width - 10}" y2="${height - bottom}" stroke="#333"/>
<text x="12" y="${top + 10}" font-size="10">${escapeHtml(unit)}${log ? ' (log)' : ''}</text>
${bars.join('\n')}
${axis.join('\n')}
${legend.join('\n')}
</svg>`;
}

/** A self-contained HTML page with the throughput and leak charts of a run. */
export function renderChartPage(result: BenchResult, table: string): string {
  const delays = [...new Set(result.rows.map((row) => row.delayMs))];
  const charts = delays.flatMap((delayMs) => {
    const rows = result.rows.filter((row) => row.delayMs === delayMs);
    return [
      barChart({
        title: `Throughput at ${delayMs} ms IO`,
        rows,
        value: (row) => row.summary.requestsPerSecond,
        log: true,
        unit: 'req/s',
      }),
      barChart({
        title: `Leaked responses at ${delayMs} ms IO`,
        rows,
        value: (row) => row.summary.leakPercent,
        log: false,
        unit: '%',
      }),
    ];
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>current-attributes benchmark</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}svg{margin:0 1em 1em 0}pre{font-size:12px}</style></head>
<body><h1>current-attributes benchmark</h1>
<p>${escapeHtml(`Node ${result.machine.serverNode}, ${result.machine.cpuCount} x ${result.machine.cpuModel}, ${result.startedAt}`)}</p>
${charts.join('\n')}
<pre>${escapeHtml(table)}</pre>
</body></html>
`;
}
