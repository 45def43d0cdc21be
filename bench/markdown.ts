/**
 * A Markdown table: the first `textColumns` columns left-aligned, the rest right-aligned.
 *
 * @example
 * ```ts
 * markdownTable(['strategy', 'req/s'], [['current', '5,374']]); // | strategy | req/s | ...
 * ```
 */
export function markdownTable(
  header: readonly string[],
  lines: readonly (readonly string[])[],
  textColumns = 1,
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)),
  );
  const numeric = (column: number) => column >= textColumns;
  const cells = (line: readonly string[]) =>
    `| ${line.map((cell, column) => (numeric(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (numeric(column) ? `${'-'.repeat(width + 1)}:` : `:${'-'.repeat(width + 1)}`)).join('|')}|`;
  return [cells(header), rule, ...lines.map(cells)].join('\n');
}
