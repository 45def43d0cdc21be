/**
 * A token as RFC 9110 defines it: what a method and a header name are made
 * of.
 *
 * @example
 * ```ts
 * HTTP_TOKEN.test('PATCH'); // true
 * HTTP_TOKEN.test('GET /x'); // false
 * ```
 */
export const HTTP_TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/;

/**
 * A character a header value cannot carry: anything but a tab, visible
 * ASCII, space and Latin-1 (RFC 9110's visible characters and obs-text, which is
 * also what Node's HTTP client accepts).
 */
const FORBIDDEN_IN_HEADER = /[^\t\u0020-\u007e\u0080-\u00ff]/u;

/** A character as a message shows it: a line break by name, other controls as U+XXXX, the rest in backticks. */
function describeCharacter(character: string): string {
  if (character === '\r' || character === '\n') return 'a line break';
  const code = character.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code < 0xa0)
    ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
    : `\`${character}\``;
}

/**
 * The first character of a header value that a request cannot carry, as a
 * message shows it, with its position (from 1), or `undefined` when every
 * character can go.
 *
 * @example
 * ```ts
 * forbiddenInHeader('Bearer 名前'); // { character: '`名`', position: 8 }
 * forbiddenInHeader('Bearer t-1'); // undefined
 * ```
 */
export function forbiddenInHeader(value: string): { character: string; position: number } | undefined {
  const match = FORBIDDEN_IN_HEADER.exec(value);
  if (match === null) return undefined;
  return { character: describeCharacter(match[0]), position: [...value.slice(0, match.index)].length + 1 };
}

/**
 * What to do about a header value holding a character a header cannot
 * carry.
 *
 * @example
 * ```ts
 * throw new ProbeUsageError(`Header \`x-user\` holds \`名\` at position 1. ${HEADER_CHARACTERS_FIX}`);
 * ```
 */
export const HEADER_CHARACTERS_FIX =
  'A header carries visible ASCII and Latin-1 characters only: remove the others from the values used in headers, ' +
  'or send such a value in the path (it is URL-encoded there) or the body.';
