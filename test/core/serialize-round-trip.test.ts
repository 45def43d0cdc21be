import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Current, clock, type Person, Session } from '../support/rails-current.js';

type Values = Parameters<typeof Current.set>[0];

/** One step of a request: an assignment, a method that assigns, or a `set` around more assignments. */
type Step =
  | { readonly kind: 'assign'; readonly values: Values }
  | { readonly kind: 'method'; readonly world: string; readonly account: string }
  | { readonly kind: 'set'; readonly values: Values; readonly inside: readonly Values[] };

// Attribute names among the values, so an input is never mistaken for the name of another.
const text = fc.constantFrom('a', 'b', 'c/1', 'person', 'request');
const person: fc.Arbitrary<Person> = fc.record(
  { id: fc.nat(99), name: text, timeZone: fc.constantFrom('UTC', 'Pacific', 'Central') },
  { requiredKeys: ['id', 'name'], noNullPrototype: true },
);
const values: fc.Arbitrary<Values> = fc.record(
  {
    world: fc.option(text, { nil: undefined }),
    account: text,
    person: fc.option(person, { nil: undefined }),
    request: text,
    counterInteger: fc.integer(),
  },
  { requiredKeys: [], noNullPrototype: true },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('assign' as const), values }),
  fc.record({ kind: fc.constant('method' as const), world: text, account: text }),
  fc.record({ kind: fc.constant('set' as const), values, inside: fc.array(values, { maxLength: 3 }) }),
);

function perform(steps: readonly Step[]): void {
  for (const current of steps) {
    if (current.kind === 'assign') Object.assign(Current, current.values);
    else if (current.kind === 'method') Current.setWorldAndAccount(current);
    else
      Current.set(current.values, () => {
        for (const inside of current.inside) Object.assign(Current, inside);
      });
  }
}

/** Everything the fixture lets code read: attributes, getters, methods, another definition and outside state. */
function readEverything() {
  return {
    world: Current.world,
    account: Current.account,
    person: Current.person,
    request: Current.request,
    counters: [Current.counterInteger, Current.counterCallable],
    timeZone: Current.timeZone,
    intro: Current.intro(),
    session: Session.current,
    clock: clock.zone,
  };
}

describe('serialize and restore, over random histories of assignments', () => {
  test('restore(serialize()) reads exactly what the serialized scope read, also after a JSON round trip', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        const [payload, before] = Current.run(() => {
          perform(steps);
          return [JSON.parse(JSON.stringify(Current.serialize())), readEverything()] as const;
        });
        // The scope's reset callbacks put the clock back to UTC, so the restore must set it again itself.
        expect(clock.zone).toBe('UTC');
        expect(Current.restore(payload, readEverything)).toStrictEqual(before);
      }),
      { numRuns: 300 },
    );
  });
});
