import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { InvalidArgumentError } from '../errors.js';
import { endScope, isPromiseLike, Scope, storage } from '../scope.js';
import { describeValue, expectPlainObject } from '../validate.js';
import { onResponseClosed } from './on-response-closed.js';

/** Options of `currentMiddleware`. */
export interface CurrentMiddlewareOptions {
  /**
   * Runs first in every request's fresh scope, before the next middleware:
   * the place to set attributes from the request. May be async; a throw or
   * rejection goes to Express's error handling (`next(error)`).
   */
  readonly setup?: (req: Request, res: Response) => unknown;
  /**
   * Receives the `ResetCallbackError` when a reset callback fails after the
   * response closed, where no caller is left to catch it. Default: a process
   * warning (`process.emitWarning`), printed on stderr.
   */
  readonly onResetError?: (error: unknown, req: Request, res: Response) => void;
}

/**
 * Express middleware (4 and 5) that gives every request a fresh scope, so
 * each `Current` holds that request's values from here to the end of the
 * response: in later middleware, route handlers, error handlers, `'finish'`
 * listeners and Express 5 async rejections. When the response closes, reset
 * callbacks run and the values are dropped.
 *
 * Mount it before anything that reads or writes `Current`. Every request
 * gets a new scope, even if the server runs inside one.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type.
 * @example
 * ```ts
 * app.use(currentMiddleware({
 *   setup: (req) => { Current.requestId = req.get('x-request-id') ?? Current.requestId; },
 * }));
 * app.get('/me', (req, res) => res.json({ user: Current.user }));
 * ```
 */
export function currentMiddleware(options: CurrentMiddlewareOptions = {}): RequestHandler {
  expectPlainObject('options', options);
  const { setup, onResetError = warn } = options;
  for (const [name, value] of [
    ['setup', setup],
    ['onResetError', onResetError],
  ] as const) {
    if (value !== undefined && typeof value !== 'function') {
      throw new InvalidArgumentError(`Expected \`options.${name}\` to be a function, got ${describeValue(value)}.`);
    }
  }

  const runSetup = (req: Request, res: Response, next: NextFunction) => {
    let pending: unknown;
    try {
      pending = (setup as NonNullable<typeof setup>)(req, res);
    } catch (error) {
      return next(error);
    }
    if (!isPromiseLike(pending)) return next();
    pending.then(
      () => next(),
      (error: unknown) => next(error ?? new Error('currentMiddleware: setup rejected without a reason')),
    );
  };

  // The per-request path allocates one closure and nothing else of its own:
  // every request of the app pays for it.
  return function currentAttributes(req: Request, res: Response, next: NextFunction) {
    const scope = new Scope();
    onResponseClosed(res, () => {
      try {
        endScope(scope);
      } catch (error) {
        onResetError(error, req, res);
      }
    });
    if (setup === undefined) storage.run(scope, next);
    else storage.run(scope, runSetup, req, res, next);
  };
}

function warn(error: unknown): void {
  process.emitWarning(error instanceof Error ? error : String(error));
}
