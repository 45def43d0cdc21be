import { randomUUID } from 'node:crypto';
import { defineCurrent } from 'current-attributes';

class Attributes {
  user?: string;
  requestId: string = randomUUID();
}

export const Current = defineCurrent(Attributes);
