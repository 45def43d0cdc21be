import type { Context } from 'hono';
import type { WebRequestWatch } from '../../request/web/watch.js';
import { replaceResponse } from './node-objects.js';
import { isSentWhole } from './whole-bodies.js';

/**
 * Tells `request` that its chain answered `c.res`. A body that a server
 * reads is followed until it was read to its end or cancelled (its source
 * runs for the request until then); the request ends now when there is none
 * to follow: a body the runtime sends whole (see `followWholeBodies`), which
 * runs no code of the request while it is sent, or a HEAD request's, which
 * Hono answers by running the GET route and sending the Response without its
 * body, so that body is never read nor cancelled.
 */
export function handBack(c: Context, request: WebRequestWatch): void {
  const response = c.res;
  if (c.req.raw.method === 'HEAD' || isSentWhole(response)) request.handlerDone();
  else replaceResponse(c, request.responded(response));
}
