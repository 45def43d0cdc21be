import { formatCount, plural } from '../format.js';
import { type Framework, PACKAGES, PEERS, strategyLabel } from '../frameworks.js';
import { headlines } from '../headline.js';
import { busyMachine } from '../report.js';
import type { BenchResult } from '../run.js';
import type { TargetCheck } from '../targets.js';
import { costBlock, overheadBlock } from './fractions.js';
import { type Block, COLORS, column, FONT, grid, LEAK_PATTERN, paragraph, rect, text } from './svg.js';
import { type PanelScales, panelScales, tradeOffPanel } from './trade-off.js';

const WIDTH = 1200;
const MARGIN = 20;
const INNER = WIDTH - 2 * MARGIN;
const VERDICT_COLORS = { met: '#1a7f37', missed: '#c00000', 'no verdict': '#9a6700', 'not measured': '#888' } as const;

/**
 * The whole run as one SVG image: the verdict in a line, the machine and its
 * load, per framework the trade-off at each IO delay (every panel on the same
 * scales), each context's cost relative to the bare framework, the cost
 * figures, and the targets with their verdicts.
 *
 * @example
 * ```ts
 * await writeFile('docs/benchmark.svg', renderChart(result, checkTargets(result)));
 * ```
 */
export function renderChart(result: BenchResult, checks: readonly TargetCheck[]): string {
  const { frameworks } = result.settings;
  const scales = panelScales(result.rows);
  const blocks = [
    header(result),
    legend(result, scales),
    ...frameworks.map((framework) => frameworkBlock(result, framework, scales)),
    overheadBlock(result.rows, frameworks, INNER),
    costBlock(result.cost, INNER),
    targetsBlock(checks),
  ].filter((block): block is Block => block !== undefined);
  const figure = column(blocks, 22);
  const height = figure.height + 2 * MARGIN;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ${FONT} role="img" aria-label="current-attributes benchmark">
<defs>${LEAK_PATTERN}</defs>
<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>
${figure.draw(MARGIN, MARGIN)}
</svg>
`;
}

function header(result: BenchResult): Block {
  const { machine, settings } = result;
  const title = paragraph([`current-attributes benchmark: ${settings.frameworks.join(', ')}`], INNER, {
    size: 18,
    weight: 'bold',
  });
  const verdict = paragraph(headlines(result), INNER, { size: 14, weight: 'bold', fill: '#111' });
  const line = (content: string) => paragraph([content], INNER, { size: 12, fill: '#444' });
  const load = `Load average ${machine.loadAverage[0]} at the start and ${result.loadAverageAtEnd[0]} at the end, on ${machine.cpuCount} cores`;
  const lines = [
    line(
      `Servers on Node ${machine.serverNode}, ${machine.cpuCount} x ${machine.cpuModel}, ${machine.memoryGiB} GiB; ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC.`,
    ),
    busyMachine(result)
      ? paragraph(
          [`${load}: a busy machine, so every req/s and latency figure moved with it; leaks are exact.`],
          INNER,
          {
            size: 12,
            fill: '#c00000',
            weight: 'bold',
          },
        )
      : line(`${load} (other work on the machine).`),
    line(
      `Every answer checked against its request. Each setting: ${plural(settings.rounds, 'round')} of ${settings.durationSeconds} s per strategy, interleaved; bars show the median round.`,
    ),
  ];
  return column([title, verdict, column(lines)], 6);
}

function legend(result: BenchResult, scales: PanelScales): Block {
  const strategies = [...new Set(result.rows.map((row) => row.strategy))];
  const frameworkOfPeer = result.settings.frameworks.filter((framework) => PEERS[framework]);
  const items = strategies.map((strategy) =>
    strategy === 'peer'
      ? `peer (${frameworkOfPeer.map((framework) => strategyLabel(framework, 'peer')).join(', ')})`
      : strategy,
  );
  const swatches: Block = {
    width: INNER,
    height: 38,
    draw: (x, y) => {
      let left = x;
      const parts = strategies.map((strategy, index) => {
        const label = items[index] as string;
        const svg =
          rect(left, y + 3, 12, 12, COLORS[strategy] ?? '#333') + text(left + 16, y + 13, label, { size: 12 });
        left += 30 + label.length * 6.6;
        return svg;
      });
      parts.push(rect(x, y + 23, 12, 12, '#d62728', undefined, 0.35) + rect(x, y + 23, 12, 12, 'url(#leak)'));
      parts.push(
        text(x + 16, y + 33, "faded and hatched: answers carried another request's user (leaked): fast because wrong", {
          size: 12,
        }),
      );
      return parts.join('\n');
    },
  };
  const scaleNote = paragraph(
    [
      `Every panel below shares one req/s scale (linear, 0 to ${formatCount(scales.requestsPerSecond)}) and one p99 latency scale (log, from 1 ms), so bars compare across IO delays and frameworks.`,
    ],
    INNER,
    { size: 12, fill: '#444' },
  );
  return column([swatches, scaleNote], 2);
}

function frameworkBlock(result: BenchResult, framework: Framework, scales: PanelScales): Block {
  const rows = result.rows.filter((row) => row.framework === framework);
  const packages = PACKAGES[framework].map((name) => `${name} ${result.machine.packages[name] ?? 'unknown'}`);
  const title = paragraph(
    [`${framework}${packages.length > 0 ? ` (${packages.join(', ')})` : ' (node:http)'}`],
    INNER,
    {
      size: 15,
      weight: 'bold',
    },
  );
  const delays = [...new Set(rows.map((row) => row.delayMs))];
  const panelWidth = (INNER - 30) / 2;
  const panels = delays.map((delayMs) =>
    tradeOffPanel(
      framework,
      delayMs,
      rows.filter((row) => row.delayMs === delayMs),
      panelWidth,
      scales,
    ),
  );
  return column([title, grid(panels, 2, 30)], 6);
}

function targetsBlock(checks: readonly TargetCheck[]): Block {
  const size = 11;
  const judged = checks.filter((check) => check.verdict !== 'not measured');
  const note = paragraph(
    [
      'A target is met or missed only when every round agrees; otherwise it has no verdict. A leak through current or global-lock is a bug;',
      'the other targets are goals, and a miss says this machine measured the goal unmet, not that the library is wrong.',
    ],
    INNER,
    { size, fill: '#555' },
  );
  // Two lines a target: what it asks, then what was measured, so long figures do not run off the image.
  const lineHeight = size + 5;
  const list: Block = {
    width: INNER,
    height: 22 + judged.length * 2 * lineHeight,
    draw: (x, y) =>
      [
        text(x, y + 14, 'Targets', { size: 13, weight: 'bold' }),
        ...judged.map((check, index) => {
          const baseline = y + 22 + index * 2 * lineHeight + size;
          const verdict = check.verdict === 'missed' ? 'MISSED' : check.verdict;
          return (
            text(x, baseline, verdict, { size, fill: VERDICT_COLORS[check.verdict], weight: 'bold' }) +
            text(x + 84, baseline, `${check.framework}: ${check.target}`, { size }) +
            text(x + 84, baseline + lineHeight, check.measured, { size, fill: '#555' })
          );
        }),
      ].join('\n'),
  };
  return column([list, note], 6);
}
