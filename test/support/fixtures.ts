import { defineCurrent } from 'current-attributes';

export interface User {
  readonly id: string;
  readonly name: string;
  readonly account: string;
  readonly role?: 'admin' | 'member';
}

export const alice: User = { id: 'u1', name: 'Alice', account: 'acme', role: 'admin' };
export const bob: User = { id: 'u2', name: 'Bob', account: 'globex', role: 'member' };

/** A second definition, like Rails tests' `Session`, that `Current`'s setter writes to. */
class SessionAttributes {
  previousUser?: User;
  token?: string;
}
export const Session = defineCurrent(SessionAttributes);

let requestCounter = 0;

class CurrentAttributes {
  account?: string;
  locale = 'en';
  requestId = `request-${++requestCounter}`;
  tags: string[] = [];
  #user?: User;
  #title?: string;

  get user(): User | undefined {
    return this.#user;
  }
  set user(user: User | undefined) {
    this.#user = user;
    this.account = user?.account;
    Session.previousUser = user;
  }

  get title(): string | undefined {
    return this.#title === undefined ? undefined : `${this.#title}!`;
  }
  set title(title: string | undefined) {
    this.#title = title?.replace(/!$/, '');
  }

  get isAdmin(): boolean {
    return this.#user?.role === 'admin';
  }

  greet(greeting: string): string {
    return `${greeting}, ${this.#user?.name ?? 'stranger'}`;
  }
}
export const Current = defineCurrent(CurrentAttributes);
