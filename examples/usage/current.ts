import { defineCurrent } from 'current-attributes';
import type { User } from './users.js';

class Attributes {
  account?: string;
  locale = 'en';
  requestId: string = crypto.randomUUID();

  #user?: User;
  get user() {
    return this.#user;
  }
  set user(user) {
    this.#user = user;
    this.account = user?.account;
  }
  get isAdmin() {
    return this.#user?.role === 'admin';
  }
}

export const Current = defineCurrent(Attributes);
