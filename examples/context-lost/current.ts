import { defineCurrent } from 'current-attributes';

class Attributes {
  user?: string;
}

/** The troubleshooting examples' Current: just the user. */
export const Current = defineCurrent(Attributes, { name: 'ContextLostCurrent' });
