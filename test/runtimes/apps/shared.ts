import { defineCurrent } from 'current-attributes';

class RequestAttributes {
  user?: string;
}

/** The app's `Current`: the user a request says it is, read back wherever the request goes. */
export const Current = defineCurrent(RequestAttributes, { name: 'RuntimeApp' });

/** A short wait on a timer, so that the requests of a burst interleave. */
export const io = () => new Promise((resolve) => setTimeout(resolve, 1));

let holders = 0;
let overlaps = 0;

/**
 * The work behind the app's global lock: it counts the holders inside it, so
 * a lock that lets two in shows as an overlap, and answers with the user
 * `Current` reads after waiting.
 */
export async function lockedWork(): Promise<{ user: string | undefined; overlap: boolean }> {
  holders += 1;
  const overlap = holders > 1;
  if (overlap) overlaps += 1;
  await io();
  holders -= 1;
  return { user: Current.user, overlap };
}

/** Overlaps seen since the app started. */
export const overlapCount = () => overlaps;
