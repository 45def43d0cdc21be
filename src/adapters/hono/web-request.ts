import type { Context } from 'hono';

/**
 * Whether the Response of `c` is one a server reads the body of. Hono answers
 * a HEAD request by running the GET route and sending a Response without its
 * body, so that body is never read nor cancelled: such a request ends with
 * its chain, as one with no body does.
 */
export function hasBodyToFollow(c: Context): boolean {
  return c.req.raw.method !== 'HEAD';
}
