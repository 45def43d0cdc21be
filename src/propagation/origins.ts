import { InvalidArgumentError } from '../core/errors.js';
import { describeValue } from '../core/validate.js';

/**
 * The origins outgoing requests may carry values to: a list of origins
 * (`'http://billing.internal:8080'`), or a function of the request's URL.
 */
export type AllowedOrigins = readonly string[] | ((url: URL) => boolean);

/**
 * Checks `origins` and returns the test an outgoing request's origin must pass.
 *
 * @throws {InvalidArgumentError} when it is neither a list of origins nor a function, or an entry is not an origin.
 */
export function originTest(origins: unknown): (origin: string) => boolean {
  if (typeof origins === 'function') {
    return (origin) => {
      try {
        return (origins as (url: URL) => boolean)(new URL(origin)) === true;
      } catch {
        return false;
      }
    };
  }
  if (!Array.isArray(origins)) {
    throw new InvalidArgumentError(
      `Expected \`options.origins\` to be an array of origins such as 'http://billing.internal:8080', or a function of the URL, got ${describeValue(origins)}. ` +
        'Values never travel to an origin you did not name.',
    );
  }
  const allowed = new Set<string>();
  origins.forEach((origin: unknown, index) => {
    let parsed: URL | undefined;
    try {
      parsed = typeof origin === 'string' ? new URL(origin) : undefined;
    } catch {}
    if (parsed === undefined || parsed.origin === 'null' || parsed.origin !== String(origin).replace(/\/$/, '')) {
      throw new InvalidArgumentError(
        `Expected \`options.origins[${index}]\` to be an origin (scheme, host and port, no path), such as 'http://billing.internal:8080', got ${describeValue(origin)}.`,
      );
    }
    allowed.add(parsed.origin);
  });
  return (origin) => {
    try {
      return allowed.has(new URL(origin).origin);
    } catch {
      return false;
    }
  };
}
