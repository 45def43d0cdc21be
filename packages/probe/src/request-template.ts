import type { PlannedRequest } from 'current-attributes/testing';
import { describeValue } from './describe-value.js';
import { ProbeUsageError } from './errors.js';
import { forbiddenInHeader, HEADER_CHARACTERS_FIX, HTTP_TOKEN } from './http-syntax.js';
import { compileTemplate, type Template } from './template.js';

/** What the probe sends for each user, and the value each answer must carry; all `{field}` templates. */
export interface RequestTemplate {
  readonly method: Template;
  /** Path and query; values are URL-encoded into it. */
  readonly path: Template;
  readonly headers: readonly (readonly [name: string, value: Template])[];
  readonly body: Template | undefined;
  /** The value the answer to this user must carry. */
  readonly expect: Template;
}

/** The command-line form of a `RequestTemplate`. */
export interface RequestTemplateSource {
  readonly method: string;
  readonly path: string;
  /** `name: value` lines, as curl's `-H`. */
  readonly headers: readonly string[];
  readonly body?: string | undefined;
  readonly expect: string;
}

/**
 * Compiles the request the probe sends for each user.
 *
 * @throws {ProbeUsageError} when a header is not `name: value` or holds a character a header cannot carry, the
 * method is not a token, or a GET or HEAD request would carry a body.
 * @example
 * ```ts
 * const template = compileRequestTemplate({
 *   method: 'GET',
 *   path: '/me',
 *   headers: ['authorization: Bearer {token}'],
 *   expect: '{name}',
 * });
 * renderRequest(template, { token: 't1', name: 'ann' });
 * // { method: 'GET', path: '/me', headers: { authorization: 'Bearer t1' }, expected: 'ann' }
 * ```
 */
export function compileRequestTemplate(source: RequestTemplateSource): RequestTemplate {
  const headers = source.headers.map((line) => {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    if (colon < 0 || !HTTP_TOKEN.test(name)) {
      throw new ProbeUsageError(
        `Expected \`--header\` to be \`name: value\`, got ${describeValue(line)}. Example: --header 'authorization: Bearer {token}'.`,
      );
    }
    const value = line.slice(colon + 1).trim();
    const forbidden = forbiddenInHeader(value);
    if (forbidden !== undefined) {
      throw new ProbeUsageError(
        `Expected \`--header\` values a request can carry, but header \`${name.toLowerCase()}\` holds ` +
          `${forbidden.character} at position ${forbidden.position}. ${HEADER_CHARACTERS_FIX}`,
      );
    }
    return [name.toLowerCase(), compileTemplate(value)] as const;
  });
  const method = source.method.toUpperCase();
  // A method made of placeholders is checked for each user, once filled in.
  if (!HTTP_TOKEN.test(method.replace(/\{[\w.-]+\}/g, 'X'))) throw new ProbeUsageError(badMethod(source.method));
  if (source.body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw new ProbeUsageError(`A ${method} request carries no body: pass --method POST (or PUT, PATCH) with --body.`);
  }
  return {
    method: compileTemplate(method),
    path: compileTemplate(source.path, encodeURIComponent),
    headers,
    body: source.body === undefined ? undefined : compileTemplate(source.body),
    expect: compileTemplate(source.expect),
  };
}

/**
 * Every template of the request, named as the user wrote it, for messages
 * that say which template needs a field.
 *
 * @example
 * ```ts
 * for (const { where, template } of templatesOf(request)) console.error(where, template.fields);
 * // path [] / header authorization ['token'] / --expect ['name']
 * ```
 */
export function templatesOf(request: RequestTemplate): { where: string; template: Template }[] {
  return [
    { where: '--method', template: request.method },
    { where: 'the path', template: request.path },
    ...request.headers.map(([name, template]) => ({ where: `header \`${name}\``, template })),
    ...(request.body ? [{ where: '--body', template: request.body }] : []),
    { where: '--expect', template: request.expect },
  ];
}

/**
 * Fills the request's templates with one user's fields.
 *
 * @example
 * ```ts
 * renderRequest(template, identity.fields); // { method, path, headers, body?, expected }
 * ```
 */
export function renderRequest(request: RequestTemplate, fields: Readonly<Record<string, string>>): PlannedRequest {
  return {
    method: request.method.render(fields),
    path: request.path.render(fields),
    headers: Object.fromEntries(request.headers.map(([name, value]) => [name, value.render(fields)])),
    ...(request.body ? { body: request.body.render(fields) } : {}),
    expected: request.expect.render(fields),
  };
}

/**
 * The message for a method that is not an HTTP token.
 *
 * @example
 * ```ts
 * throw new ProbeUsageError(badMethod('GET /x'));
 * ```
 */
export function badMethod(method: string): string {
  return `Expected \`--method\` to be an HTTP method, a token such as GET or POST, got ${describeValue(method)}.`;
}
