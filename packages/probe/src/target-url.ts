import { describeValue } from './describe-value.js';
import { ProbeUsageError } from './errors.js';

/**
 * Splits the URL to probe into where every request goes (scheme, host and
 * port, checked) and the path template, placeholders kept as typed (`new URL`
 * would encode their braces).
 *
 * @throws {ProbeUsageError} for a URL that is not http(s), holds a #fragment, or a user name or password.
 * @example
 * ```ts
 * splitTargetUrl('http://127.0.0.1:3000/users/{id}?x=1'); // { origin: 'http://127.0.0.1:3000', path: '/users/{id}?x=1' }
 * ```
 */
export function splitTargetUrl(url: string): { origin: string; path: string } {
  const match = /^(https?:\/\/[^/?#]+)([/?][^#]*)?$/i.exec(url);
  let parsed: URL | undefined;
  try {
    parsed = match ? new URL(match[1] as string) : undefined;
  } catch {
    parsed = undefined;
  }
  const origin = parsed?.origin;
  if (!match || origin === undefined) {
    throw new ProbeUsageError(
      `Expected an http:// or https:// URL without a #fragment, such as \`http://127.0.0.1:3000/me\`, got ${describeValue(url)}.`,
    );
  }
  if (parsed?.username || parsed?.password) {
    throw new ProbeUsageError(
      "The URL holds a user name or password, which would not be sent: pass them as a header, such as -H 'authorization: Basic {credentials}'.",
    );
  }
  const path = match[2] ?? '/';
  return { origin, path: path.startsWith('/') ? path : `/${path}` };
}
