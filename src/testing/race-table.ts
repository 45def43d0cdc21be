import type { RaceOutcome } from './process-race.js';

/**
 * Renders the outcomes of `raceProcesses` as a plain-text table: one line per
 * process and round, with the pid, the error if any, and each field of the
 * result.
 *
 * @example
 * ```ts
 * const rounds = await raceProcesses<{ won: boolean }>({ script, processes: 4 });
 * expect(rounds[0]?.filter((o) => o.result?.won), formatRaceTable(rounds)).toHaveLength(1);
 * // on failure, the message shows:
 * // round  process  pid    won    error
 * // 0      0        4121   true
 * // 0      1        4122   false
 * ```
 */
export function formatRaceTable(rounds: readonly (readonly RaceOutcome<unknown>[])[]): string {
  const outcomes = rounds.flat();
  const fields = [
    ...new Set(
      outcomes.flatMap(({ result }) =>
        result !== null && typeof result === 'object' ? Object.keys(result) : ['result'],
      ),
    ),
  ];
  const header = ['round', 'process', 'pid', ...fields, 'error'];
  const rows = outcomes.map(({ round, index, pid, result, error }) => [
    String(round),
    String(index),
    String(pid),
    ...fields.map((field) => {
      const value = result !== null && typeof result === 'object' ? (result as Record<string, unknown>)[field] : result;
      return value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    }),
    error ?? '',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
