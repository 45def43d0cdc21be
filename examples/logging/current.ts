import { randomUUID } from 'node:crypto';
import { defineCurrent } from 'current-attributes';

export interface User {
  readonly id: string;
  readonly name: string;
}

class Attributes {
  requestId: string = randomUUID();
  user?: User;

  /** A getter shapes a log field: the user's id, not the whole user. */
  get userId() {
    return this.user?.id;
  }
}

export const Current = defineCurrent(Attributes);
