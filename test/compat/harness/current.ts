import { defineCurrent } from 'current-attributes';

class Attributes {
  /** Set by the adapter's `setup` from the request's URL; every read compares it with the request it belongs to. */
  requestId?: number;
}

/** The matrix's Current: only the number of the request, so a read tells whose scope it ran in. */
export const Current = defineCurrent(Attributes, { name: 'CompatCurrent' });
