import type { PlannedRequest } from 'current-attributes/testing';
import { IdentityFileError } from './errors.js';
import { forbiddenInHeader, HEADER_CHARACTERS_FIX, HTTP_TOKEN } from './http-syntax.js';
import type { Identity } from './identities.js';
import { type RequestTemplate, renderRequest, templatesOf } from './request-template.js';

/** How many problems of one kind a message lists before it counts the rest. */
const LISTED = 5;

/**
 * Checks that every user can be probed, then renders each user's request:
 * there are at least two users (a leak is one user's value in another's
 * answer), every field a template names is there and not empty, header
 * values hold only characters a header can carry, each method is a token,
 * and no two users expect the same value or send
 * the same request (an answer could not tell them apart, so a correct
 * answer would count as a leak).
 *
 * @param source names the users in messages: the file, or `generated`.
 * @returns the request of each user, in order.
 * @throws {IdentityFileError} naming the lines at fault and how to fix them.
 * @example
 * ```ts
 * const requests = checkIdentities(await readIdentities('users.csv'), template, 'users.csv');
 * requests[0]; // { method: 'GET', path: '/me', headers: { authorization: 'Bearer t-1' }, expected: 'ann' }
 * ```
 */
export function checkIdentities(
  identities: readonly Identity[],
  request: RequestTemplate,
  source: string,
): PlannedRequest[] {
  if (identities.length < 2) {
    throw new IdentityFileError(
      `${source} holds ${identities.length} user${identities.length === 1 ? '' : 's'}; the probe needs at least 2, ` +
        "since a leak is one user's value in another's answer. Add users (one a line), or use --generate <count>.",
    );
  }
  const missing = identities.flatMap((identity) =>
    templatesOf(request).flatMap(({ where, template }) =>
      template.fields
        // Own fields only: `{constructor}` must not read the function every object inherits.
        .filter((field) => !Object.hasOwn(identity.fields, field) || identity.fields[field] === '')

        .map((field) => `${identity.label} has no \`${field}\`, which ${where} uses`),
    ),
  );
  fail(
    missing,
    `${source}: `,
    'Give every line a non-empty value for each field the templates name, or fix the template.',
  );

  const requests = identities.map((identity) => renderRequest(request, identity.fields));
  const forbidden = requests.flatMap(({ headers = {} }, index) =>
    Object.entries(headers).flatMap(([name, value]) => {
      const found = forbiddenInHeader(value);
      return found === undefined
        ? []
        : [`${identities[index]?.label}: header \`${name}\` would hold ${found.character}`];
    }),
  );
  fail(forbidden, `${source}: `, HEADER_CHARACTERS_FIX);
  const methods = requests.flatMap(({ method = 'GET' }, index) =>
    HTTP_TOKEN.test(method) ? [] : [`${identities[index]?.label}: the method would be \`${method}\``],
  );
  fail(methods, `${source}: `, 'A method is a token such as GET or POST: fix the values --method uses.');

  fail(
    repeats(requests, identities, ({ expected }) => expected).map(
      ([first, second, expected]) => `${first} and ${second} both expect \`${expected}\``,
    ),
    `${source}: `,
    'Each user must expect a value of its own, or a leak between them would go unseen.',
  );
  fail(
    repeats(requests, identities, ({ expected: _, ...sent }) => JSON.stringify(sent)).map(
      ([first, second]) => `${first} and ${second} send the same request`,
    ),
    `${source}: `,
    'The server cannot tell such users apart, so its right answer to one would count as a leak: give each its own ' +
      'token or id (with --generate, put {i} in the URL, a header or the body).',
  );
  return requests;
}

/** Users whose requests share a key: the label of the first that had it, of the repeating one, and the key. */
function repeats(
  requests: readonly PlannedRequest[],
  identities: readonly Identity[],
  key: (request: PlannedRequest) => string,
): [string, string, string][] {
  const firstWith = new Map<string, string>();
  return requests.flatMap((request, index) => {
    const value = key(request);
    const label = identities[index]?.label as string;
    const first = firstWith.get(value);
    if (first === undefined) firstWith.set(value, label);
    return first === undefined ? [] : [[first, label, value] as [string, string, string]];
  });
}

function fail(problems: readonly string[], prefix: string, fix: string): void {
  if (problems.length === 0) return;
  const more = problems.length > LISTED ? `; and ${problems.length - LISTED} more` : '';
  throw new IdentityFileError(`${prefix}${problems.slice(0, LISTED).join('; ')}${more}. ${fix}`);
}
