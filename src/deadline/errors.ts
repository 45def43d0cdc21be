import { CurrentAttributesError } from '../core/errors.js';

/**
 * The reason of a request's signal when its client hung up before the
 * response was complete: nobody waits for the answer any more.
 *
 * @example
 * ```ts
 * if (requestSignal()?.reason instanceof ClientDisconnectedError) return; // nobody to answer
 * ```
 */
export class ClientDisconnectedError extends CurrentAttributesError {
  override name = 'ClientDisconnectedError';

  constructor() {
    super('The client hung up before the response was complete: stop the work, nobody reads its answer.');
  }
}

/**
 * The reason of a request's signal when its deadline passed: the adapter's
 * `deadlineMs`, or the smaller deadline a trusted caller sent with it.
 *
 * @example
 * ```ts
 * app.use(currentMiddleware({ deadlineMs: 5_000 }));
 * // in a handler: await db.query(sql, { signal: requestSignal() }); // DeadlineExceededError after 5 s
 * ```
 */
export class DeadlineExceededError extends CurrentAttributesError {
  override name = 'DeadlineExceededError';

  constructor(readonly deadlineMs: number) {
    super(
      `The request's deadline of ${deadlineMs} ms passed. Stop the work and answer (504), ` +
        'or give the route a longer `deadlineMs`.',
    );
  }
}
