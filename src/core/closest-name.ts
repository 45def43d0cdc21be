// cspell:ignore tmeout strickt timout timeoutms
/**
 * The name among `known` that `typed` most likely meant, or `undefined`
 * when none is close: a different casing (`abandonedHoldMS`), a typo
 * (`tmeoutMs`, `strickt`), a missing unit (`timeout` for `timeoutMs`) or a
 * name that contains a known one (`lockTimeout` for `timeoutMs`).
 *
 * @example
 * ```ts
 * closestName('timeout', ['timeoutMs', 'maxQueue']); // 'timeoutMs'
 * ```
 */
export function closestName(typed: string, known: readonly string[]): string | undefined {
  const wanted = typed.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const candidate = name.toLowerCase();
    // With and without the unit: `timout` is one edit from `timeout`, three from `timeoutms`.
    const distance = Math.min(editDistance(wanted, candidate), editDistance(stem(wanted), stem(candidate)));
    const close = distance <= Math.max(1, Math.floor(wanted.length / 3)) || sharesStem(wanted, candidate);
    if (close && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** The units option names end with; `timeout` and `lockTimeout` mean a `...Ms`. */
const UNIT = /(ms|seconds)$/;

function stem(name: string): string {
  return name.replace(UNIT, '');
}

/** Whether one name, without its unit, contains the other's stem of at least four letters. */
function sharesStem(typed: string, known: string): boolean {
  const typedStem = stem(typed);
  const knownStem = stem(known);
  if (typedStem.length < 4 || knownStem.length < 4) return false;
  return typedStem.includes(knownStem) || knownStem.includes(typedStem);
}

/**
 * The optimal-string-alignment distance of `a` and `b`: insertions,
 * deletions, substitutions and swaps of two neighbors, one each. Written
 * here because the library has no runtime dependencies and Node has no
 * such function; option names are short, so the quadratic table is tiny.
 */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, column) => column);
  for (let row = 1; row <= a.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= b.length; column += 1) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      let distance = Math.min(
        (previous[column] as number) + 1,
        (current[column - 1] as number) + 1,
        (previous[column - 1] as number) + cost,
      );
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) {
        distance = Math.min(distance, (before[column - 2] as number) + 1);
      }
      current.push(distance);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] as number;
}
