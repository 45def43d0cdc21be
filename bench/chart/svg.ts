// Hand-written SVG rather than a chart library: the chart must open from disk
// and render as an image on GitHub, so no script and no network; bars, text
// and a few lines are all it takes.

export const FONT = 'font-family="system-ui, -apple-system, Helvetica, Arial, sans-serif"';

/** A strategy's color, the same in every part of the chart. */
export const COLORS: Readonly<Record<string, string>> = {
  bare: '#8c8c8c',
  global: '#d62728',
  'global-lock': '#ff7f0e',
  current: '#2ca02c',
  als: '#1f77b4',
  peer: '#9467bd',
};

/** Hatching drawn over a bar whose answers leaked. */
export const LEAK_PATTERN =
  '<pattern id="leak" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
  '<rect width="3" height="6" fill="#ffffff" fill-opacity="0.65"/></pattern>';

export const escapeXml = (text: string) => text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);

interface TextStyle {
  readonly size?: number;
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly weight?: 'bold' | 'normal';
  readonly fill?: string;
}

/**
 * A line of text, escaped.
 *
 * @example
 * ```ts
 * text(10, 20, '5,374', { size: 10, anchor: 'end' });
 * ```
 */
export function text(x: number, y: number, content: string, style: TextStyle = {}): string {
  const { size = 12, anchor = 'start', weight = 'normal', fill = '#222' } = style;
  const bold = weight === 'bold' ? ' font-weight="bold"' : '';
  return `<text x="${round(x)}" y="${round(y)}" font-size="${size}" text-anchor="${anchor}" fill="${fill}"${bold}>${escapeXml(content)}</text>`;
}

/**
 * A rectangle, with a tooltip when `title` is given, faded to `opacity` when less than 1.
 *
 * @example
 * ```ts
 * rect(0, 0, 120, 10, COLORS.current, 'current: 5,374 req/s'); // a bar
 * ```
 */
export function rect(
  x: number,
  y: number,
  width: number,
  height: number,
  fill: string,
  title?: string,
  opacity = 1,
): string {
  const faded = opacity < 1 ? ` fill-opacity="${opacity}"` : '';
  const tooltip = title === undefined ? '/>' : `><title>${escapeXml(title)}</title></rect>`;
  return `<rect x="${round(x)}" y="${round(y)}" width="${round(Math.max(width, 0))}" height="${round(height)}" fill="${fill}"${faded}${tooltip}`;
}

/**
 * A straight line.
 *
 * @example
 * ```ts
 * line(100, 0, 100, 200, '#555'); // a vertical line
 * ```
 */
export function line(x1: number, y1: number, x2: number, y2: number, stroke = '#999'): string {
  return `<line x1="${round(x1)}" y1="${round(y1)}" x2="${round(x2)}" y2="${round(y2)}" stroke="${stroke}"/>`;
}

/**
 * Tick values for a linear axis from 0 to `max`, about `count` of them, 1, 2
 * or 5 times a power of ten apart, none beyond `max`: the bars keep the
 * whole width instead of ending halfway to a round tick.
 *
 * @example
 * ```ts
 * ticks(5374); // [0, 2000, 4000]
 * ```
 */
export function ticks(max: number, count = 3): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((factor) => factor * power >= raw) ?? 10) * power;
  const values: number[] = [];
  for (let value = 0; value <= max; value += step) values.push(value);
  return values;
}

/** A rectangle of the figure: its size, and its SVG drawn with its top left corner at (x, y). */
export interface Block {
  readonly width: number;
  readonly height: number;
  draw(x: number, y: number): string;
}

/** Blocks one after the other, `gap` apart: under each other, or side by side. */
function stack(blocks: readonly Block[], gap: number, sideBySide: boolean): Block {
  const along = (block: Block) => (sideBySide ? block.width : block.height);
  const across = (block: Block) => (sideBySide ? block.height : block.width);
  const length = blocks.reduce((sum, block) => sum + along(block), 0) + gap * Math.max(blocks.length - 1, 0);
  const breadth = Math.max(0, ...blocks.map(across));
  return {
    width: sideBySide ? length : breadth,
    height: sideBySide ? breadth : length,
    draw: (x, y) => {
      let offset = 0;
      return blocks
        .map((block) => {
          const svg = sideBySide ? block.draw(x + offset, y) : block.draw(x, y + offset);
          offset += along(block) + gap;
          return svg;
        })
        .join('\n');
    },
  };
}

/**
 * Blocks one under the other, `gap` apart.
 *
 * @example
 * ```ts
 * column([header, panel], 22).draw(20, 20);
 * ```
 */
export function column(blocks: readonly Block[], gap = 0): Block {
  return stack(blocks, gap, false);
}

/**
 * Blocks side by side, `gap` apart, wrapped after `perRow`.
 *
 * @example
 * ```ts
 * grid([zeroMsPanel, tenMsPanel], 2, 30); // side by side
 * ```
 */
export function grid(blocks: readonly Block[], perRow: number, gap = 0): Block {
  const rows: Block[] = [];
  for (let start = 0; start < blocks.length; start += perRow)
    rows.push(stack(blocks.slice(start, start + perRow), gap, true));
  return column(rows, gap);
}

/**
 * Lines of text, `size` px, one under the other.
 *
 * @example
 * ```ts
 * paragraph(['Load average 1.5 at the start'], 1160, { fill: '#444' });
 * ```
 */
export function paragraph(lines: readonly string[], width: number, style: TextStyle = {}): Block {
  const size = style.size ?? 12;
  return {
    width,
    height: lines.length * (size + 5),
    draw: (x, y) => lines.map((content, index) => text(x, y + (index + 1) * (size + 5) - 5, content, style)).join('\n'),
  };
}

function round(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}
