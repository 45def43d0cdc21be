import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/**
 * Noticing a forgotten or misplaced middleware: a read outside any scope is
 * what every request sees when `currentMiddleware()` is missing (the quick
 * start's `requestId = randomUUID()` becomes one id for every request), and
 * also what a script or start-up code does on purpose. What tells them apart
 * is whether the read runs on behalf of an HTTP request. Node publishes
 * `http.server.request.start` right before it hands a request to the app, in
 * the same synchronous run, so a subscriber can mark that request's async
 * context; a read outside any scope that finds the mark comes from a request.
 *
 * Nothing of this runs on a correctly mounted app's requests: its reads are
 * in a scope and never get here. The first read outside any scope arms the
 * mark for the next `WINDOW` requests (start-up code and scripts arm it and
 * see nothing, as no request marks them); a read that finds the mark warns
 * once for its definition. The mark needs an AsyncLocalStorage of its own,
 * which on Node < 24 adds a cost to every promise while it is enabled: it is
 * enabled only while armed, then disabled.
 */
const REQUEST_START = 'http.server.request.start';

/** How many requests one arming marks, so reads outside requests cost at most that many requests a little. */
export const WINDOW = 100;

const REQUEST = true;
let marks: AsyncLocalStorage<typeof REQUEST> | undefined;
let requestsLeft = 0;
let subscribed = false;

function markRequest(): void {
  if (requestsLeft === 0) {
    disarm();
    return;
  }
  requestsLeft -= 1;
  (marks as AsyncLocalStorage<typeof REQUEST>).enterWith(REQUEST);
}

function arm(): void {
  if (requestsLeft > 0) return;
  marks ??= new AsyncLocalStorage();
  requestsLeft = WINDOW;
  if (subscribed) return;
  subscribed = true;
  subscribe(REQUEST_START, markRequest);
}

function disarm(): void {
  requestsLeft = 0;
  if (subscribed) unsubscribe(REQUEST_START, markRequest);
  subscribed = false;
  marks?.disable();
}

/** What one definition needs to warn once. */
export interface OutsideRequestWatch {
  readonly definition: string;
  warned: boolean;
}

/**
 * Called on every read of `watch`'s definition outside any scope (so never
 * on a request that has one): warns once if the read runs on behalf of an
 * HTTP request, and otherwise arms the mark for the next requests.
 *
 * @example
 * ```ts
 * if (scope === undefined) noticeReadOutsideScope(watch, 'requestId');
 * ```
 */
export function noticeReadOutsideScope(watch: OutsideRequestWatch, member: string): void {
  if (watch.warned) return;
  if (marks?.getStore() !== REQUEST) {
    arm();
    return;
  }
  watch.warned = true;
  process.emitWarning(
    `${watch.definition}.${member} was ${member.endsWith('()') ? 'called' : 'read'} outside any scope while the ` +
      'process was serving an HTTP request, ' +
      'so it read the out-of-scope defaults that every request shares (a default request id is one id for all). ' +
      'Mount currentMiddleware() before your routes (Fastify: register fastifyCurrent before them; node:http: ' +
      'wrap the handler in withCurrent), or wrap the code in Current.run(() => ...). If the scope was lost in a ' +
      'callback, wrap the callback in Current.bind(fn). To silence this warning for a definition read outside ' +
      `scopes on purpose: defineCurrent(Class, { warnOutsideScope: false }).`,
    { type: 'CurrentAttributesWarning', code: 'CURRENT_ATTRIBUTES_READ_OUTSIDE_SCOPE' },
  );
}
