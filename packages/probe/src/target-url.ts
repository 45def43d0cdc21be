import { describeValue } from './describe-value.js';
import { ProbeUsageError } from './errors.js';

/** Where every request of a probe goes, and the request target each user fills in. */
export interface TargetUrl {
  /** Scheme, host and port, as `new URL` spells them: the one place every request goes. */
  readonly origin: string;
  /** Path and query in origin form (`/me?x=1`), URL-encoded, with the `{field}` placeholders kept. */
  readonly path: string;
}

/** A placeholder, as templates read them. */
const PLACEHOLDER = /\{[\w.-]+\}/g;
const HAS_PLACEHOLDER = /\{[\w.-]+\}/;
/** Stands in for a placeholder while the URL parser reads the rest: letters and digits, which it leaves as they are. */
const MARK = 'cattr0mark0';
/** A character the request line cannot carry as typed: ASCII controls, space and DEL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for
const CONTROL = /[\u0000-\u0020\u007f]/;

const EXPECTED = 'Expected an http:// or https:// URL, such as `http://127.0.0.1:3000/me`';

/**
 * Parses the URL to probe once, with the WHATWG URL parser every sample and
 * load request then follows: the origin every request goes to, and the path
 * and query (encoded as the parser encodes them, the `{field}` placeholders
 * kept). Anything that parsers read in more than one way is refused rather
 * than guessed: a backslash (read as a slash), a path that starts with `//`
 * (read as another host when resolved against the origin), control
 * characters and spaces (dropped by the parser, sent as they are by a raw
 * request line), a user name or password, a #fragment, a placeholder in the
 * host.
 *
 * @throws {ProbeUsageError} naming what is wrong and what to pass instead.
 * @example
 * ```ts
 * parseTargetUrl('http://127.0.0.1:3000/users/{id}?x=1'); // { origin: 'http://127.0.0.1:3000', path: '/users/{id}?x=1' }
 * ```
 */
export function parseTargetUrl(url: string): TargetUrl {
  const control = CONTROL.exec(url);
  if (control !== null) {
    const what = control[0] === ' ' ? 'a space' : 'a control character';
    throw new ProbeUsageError(
      `${EXPECTED}: this one holds ${what} at position ${control.index + 1}, which would change the request ` +
        'itself: percent-encode it (a space is %20), or remove it.',
    );
  }
  if (url.includes('\\')) {
    throw new ProbeUsageError(
      `${EXPECTED}: this one holds a backslash, which URL parsers read as a slash, so the host is ambiguous. ` +
        'Write / for a path separator, or %5C for a backslash in the path or query.',
    );
  }
  const scheme = /^https?:\/\/[^/?#]*/i.exec(url);
  if (scheme === null) throw new ProbeUsageError(`${EXPECTED}, got ${describeValue(url)}.`);
  if (HAS_PLACEHOLDER.test(scheme[0])) {
    throw new ProbeUsageError(
      `Placeholders go in the path and query only: every request goes to one origin, got ${describeValue(scheme[0])}.`,
    );
  }
  const placeholders = url.match(PLACEHOLDER) ?? [];
  let parsed: URL;
  try {
    if (url.toLowerCase().includes(MARK)) throw new TypeError(`it holds \`${MARK}\``);
    parsed = new URL(url.replace(PLACEHOLDER, () => MARK));
  } catch {
    throw new ProbeUsageError(`${EXPECTED}, got ${describeValue(url)}.`);
  }
  if (parsed.hash !== '' || url.includes('#')) {
    throw new ProbeUsageError(`Expected the URL without a #fragment, which is never sent, got ${describeValue(url)}.`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new ProbeUsageError(
      "The URL holds a user name or password, which would not be sent: pass them as a header, such as -H 'authorization: Basic {credentials}'.",
    );
  }
  if (parsed.pathname.startsWith('//')) {
    throw new ProbeUsageError(
      `${EXPECTED}: this one's path starts with //, which a server may read as another host (${describeValue(parsed.pathname)}). ` +
        'Give the path with a single leading slash.',
    );
  }
  let next = 0;
  const path = `${parsed.pathname}${parsed.search}`.replaceAll(MARK, () => placeholders[next++] as string);
  return { origin: parsed.origin, path };
}
