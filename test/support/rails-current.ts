import { defineCurrent } from 'current-attributes';

/**
 * The fixtures of Rails' `activesupport/test/current_attributes_test.rb`,
 * written as a TypeScript user would port them: a `request` getter that
 * decorates, an `account` setter that sets `person`, a `person` setter that
 * sets `Session.current` and an outside time zone.
 */
export interface Person {
  readonly id: number;
  readonly name: string;
  readonly timeZone?: string;
}

/** State outside any `Current`, like Rails' `Time.zone`. */
export const clock: { zone: string | undefined } = { zone: 'UTC' };

class SessionAttributes {
  current?: number;
  previous?: number;
}
export const Session = defineCurrent(SessionAttributes, { name: 'Session' });

const zero = () => 0;

class CurrentAttributes {
  counterInteger = 0;
  counterCallable = zero();
  world?: string;
  #account?: string;
  #person?: Person;
  #request?: string;

  get account(): string | undefined {
    return this.#account;
  }
  set account(account: string | undefined) {
    this.#account = account;
    this.person = { id: 1, name: `${account}'s person` };
  }

  get person(): Person | undefined {
    return this.#person;
  }
  set person(person: Person | undefined) {
    this.#person = person;
    clock.zone = person?.timeZone;
    Session.current = person?.id;
  }

  get request(): string {
    return `${this.#request} something`;
  }
  set request(request: string | undefined) {
    this.#request = request;
  }

  /** Rails' `delegate :time_zone, to: :person`. */
  get timeZone(): string | undefined {
    return this.person?.timeZone;
  }

  setWorldAndAccount({ world, account }: { world: string; account: string }): void {
    this.world = world;
    this.account = account;
  }

  getWorldAndAccount<H extends { world?: string; account?: string }>(hash: H): H {
    hash.world = this.world;
    hash.account = this.account;
    return hash;
  }

  respondToTest(): void {}

  intro(): string {
    return `${this.person?.name}, in ${this.timeZone}`;
  }
}
export const Current = defineCurrent(CurrentAttributes, { name: 'Current' });

Current.beforeReset(() => {
  Session.previous = Current.person?.id;
});
Current.afterReset(() => {
  Session.current = undefined;
  clock.zone = 'UTC';
});

export const david: Person = { id: 42, name: 'David', timeZone: 'Central Time (US & Canada)' };
