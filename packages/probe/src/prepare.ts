import type { PlannedRequest } from 'current-attributes/testing';
import { generateIdentities, type Identity, readIdentities } from './identities.js';
import { checkIdentities } from './identity-checks.js';
import { createJudge, type Judge } from './judge.js';
import { compileRequestTemplate } from './request-template.js';
import { type AnswerRule, answerRule } from './rule.js';
import type { ProbeSettings } from './settings.js';

/** A probe ready to send: its users, each user's request, and the judge of the answers. */
export interface PreparedProbe {
  readonly settings: ProbeSettings;
  /** Where the users came from, for messages: the file, or `generated users`. */
  readonly source: string;
  readonly identities: readonly Identity[];
  /** The request of each user, in the order of `identities`. */
  readonly requests: readonly PlannedRequest[];
  readonly rule: AnswerRule;
  readonly judge: Judge;
}

/**
 * Reads or generates the users, compiles the request and the rule, and
 * checks every user against them: all that can be wrong before a request is
 * sent, found before a request is sent.
 *
 * @throws {ProbeUsageError} for a malformed template or rule.
 * @throws {IdentityFileError} for an unreadable file, missing fields or users an answer could not tell apart.
 * @example
 * ```ts
 * const prepared = await prepareProbe(parseProbeArgs(argv) as ProbeSettings);
 * prepared.requests[0]; // { method: 'GET', path: '/me', headers: { authorization: 'Bearer t-1' }, expected: 'ann' }
 * ```
 */
export async function prepareProbe(settings: ProbeSettings): Promise<PreparedProbe> {
  const template = compileRequestTemplate(settings.request);
  const rule = answerRule(settings.rule);
  const source = 'file' in settings.identities ? settings.identities.file : 'generated users';
  const identities =
    'file' in settings.identities
      ? await readIdentities(settings.identities.file)
      : generateIdentities(settings.identities.generate);
  const requests = checkIdentities(identities, template, source);
  const judge = createJudge(
    identities,
    requests.map(({ expected }) => expected),
    rule,
  );
  return { settings, source, identities, requests, rule, judge };
}
