import { defineCurrent } from 'current-attributes';

export interface Account {
  readonly name: string;
}
export interface User {
  readonly name: string;
  readonly account: Account;
  readonly timeZone: string;
}

/** Stands in for Rails' `Time.zone`: state outside Current that a setter changes. */
export const time = { zone: 'UTC' };

// Rails' example class: `attribute :account, :user, :request_id, :user_agent, :ip_address`,
// `def user=(user)` that also sets the account and the time zone, and `resets { Time.zone = nil }`.
class Attributes {
  account?: Account;
  requestId?: string;
  userAgent?: string;
  ipAddress?: string;

  #user?: User;
  get user() {
    return this.#user;
  }
  set user(user) {
    this.#user = user;
    this.account = user?.account;
    time.zone = user?.timeZone ?? 'UTC';
  }
}

export const Current = defineCurrent(Attributes);

// `resets { Time.zone = nil }`: runs after the values are cleared, at the end of every request.
Current.afterReset(() => {
  time.zone = 'UTC';
});
