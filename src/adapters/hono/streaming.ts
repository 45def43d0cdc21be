import { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import {
  stream as honoStream,
  streamSSE as honoStreamSSE,
  streamText as honoStreamText,
  type SSEStreamingApi,
} from 'hono/streaming';
import { startProducing } from '../../request/production.js';

type StreamingApi = Parameters<Parameters<typeof honoStream>[1]>[0];
type Callback<Api> = (stream: Api) => Promise<void>;
type OnError<Api> = (error: Error, stream: Api) => Promise<void>;

/**
 * Hono's `stream()`, whose callback the request's lock and scope follow to
 * its end. After a hang-up, Hono's own helper only tells the callback
 * (`stream.onAbort`, `stream.aborted`) and lets it run on, while its
 * cancelled body tells nothing more: the lock then holds until
 * `abandonedHoldMs`. With this one it holds exactly until the callback (and
 * `onError`) returned. The same signature as `hono/streaming`'s; outside
 * @hono/node-server it is Hono's helper unchanged.
 *
 * @example
 * ```ts
 * import { stream } from 'current-attributes/hono';
 *
 * app.get('/report', lock, (c) =>
 *   stream(c, async (s) => {
 *     s.onAbort(() => console.log('client gone'));
 *     for await (const row of legacyReport()) await s.write(row); // inside the lock until it returns
 *   }),
 * );
 * ```
 */
export function stream(
  c: Context,
  cb: Callback<StreamingApi>,
  onError?: OnError<StreamingApi>,
): ReturnType<typeof honoStream> {
  const [followedCb, followedOnError] = followed(c, cb, onError);
  return honoStream(c, followedCb, followedOnError);
}

/**
 * Hono's `streamSSE()`, followed to its end by the request's lock and scope
 * as `stream()` from this module is.
 *
 * @example
 * ```ts
 * import { streamSSE } from 'current-attributes/hono';
 *
 * app.get('/events', (c) => streamSSE(c, async (s) => s.writeSSE({ data: Current.requestId })));
 * ```
 */
export function streamSSE(
  c: Context,
  cb: Callback<SSEStreamingApi>,
  onError?: OnError<SSEStreamingApi>,
): ReturnType<typeof honoStreamSSE> {
  const [followedCb, followedOnError] = followed(c, cb, onError);
  return honoStreamSSE(c, followedCb, followedOnError);
}

/**
 * Hono's `streamText()`, followed to its end by the request's lock and scope
 * as `stream()` from this module is.
 *
 * @example
 * ```ts
 * import { streamText } from 'current-attributes/hono';
 *
 * app.get('/log', (c) => streamText(c, async (s) => s.writeln(`for ${Current.user?.name}`)));
 * ```
 */
export function streamText(
  c: Context,
  cb: Callback<StreamingApi>,
  onError?: OnError<StreamingApi>,
): ReturnType<typeof honoStreamText> {
  const [followedCb, followedOnError] = followed(c, cb, onError);
  return honoStreamText(c, followedCb, followedOnError);
}

/**
 * Registers the callback as a producer of the response from the moment the
 * helper is called (the handler's turn, before any hang-up can be seen), and
 * says it stopped once it returned, or once `onError` did when Hono calls it
 * (an `Error` thrown with an `onError` given).
 */
function followed<Api>(
  c: Context,
  cb: Callback<Api>,
  onError: OnError<Api> | undefined,
): [Callback<Api>, OnError<Api> | undefined] {
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  if (!(outgoing instanceof ServerResponse)) return [cb, onError];
  const done = startProducing(outgoing);
  const followedCb: Callback<Api> = async (api) => {
    let handedToOnError = false;
    try {
      await cb(api);
    } catch (error) {
      handedToOnError = error instanceof Error && onError !== undefined;
      throw error;
    } finally {
      if (!handedToOnError) done();
    }
  };
  const followedOnError =
    onError &&
    (async (error: Error, api: Api) => {
      try {
        await onError(error, api);
      } finally {
        done();
      }
    });
  return [followedCb, followedOnError];
}
