import type { AnswerVerdict } from 'current-attributes/testing';
import type { Identity } from './identities.js';
import type { AnswerRule } from './rule.js';

/** What an answer was found to carry. */
export interface Judgement {
  readonly verdict: AnswerVerdict;
  /** The value the rule read, if any. */
  readonly value: string | undefined;
  /** The user whose value it is, if it is any user's. */
  readonly owner: Identity | undefined;
}

/** Judges the answer to a user's request: `expected` is that user's value. */
export type Judge = (body: string, expected: string) => Judgement;

/**
 * Makes the judge of every answer: the rule reads the value; the asking
 * user's own value is `own`, another user's is `leaked`, anything else
 * (nothing read, or a value no user expects) is `unmatched`.
 *
 * @param expected each user's expected value, in the order of `identities`.
 * @example
 * ```ts
 * const judge = createJudge(users, ['ann', 'bob'], answerRule({ jsonPath: 'user' }));
 * judge('{"user":"bob"}', 'ann'); // { verdict: 'leaked', value: 'bob', owner: users[1] }
 * ```
 */
export function createJudge(identities: readonly Identity[], expected: readonly string[], rule: AnswerRule): Judge {
  const owners = new Map(expected.map((value, index) => [value, identities[index] as Identity]));
  return (body, wanted) => {
    const value = rule.extract(body);
    const owner = value === undefined ? undefined : owners.get(value);
    const verdict = value === wanted ? 'own' : owner === undefined ? 'unmatched' : 'leaked';
    return { verdict, value, owner };
  };
}
