import { endScope, Scope, storage } from '../../core/scope.js';
import type { WatchSettings } from '../watch.js';
import { WebRequestWatch } from './watch.js';

/** How a middleware opens scopes for web-standard requests: shared by all its requests. */
export interface WebScopeSettings<Subject> extends WatchSettings {
  /** Receives a `ResetCallbackError` raised at the end of the request, where no caller is left to catch it. */
  readonly onResetError: (error: unknown, subject: Subject) => void;
}

/**
 * One web-standard request's fresh scope, from the first middleware until its
 * Response's body was read or cancelled (see `WebRequestWatch`): a streamed
 * body's source reads the request's values until then. Then its reset
 * callbacks run once and its values are dropped.
 */
export class WebScopedRequest<Subject> extends WebRequestWatch<WebScopeSettings<Subject>> {
  readonly scope = new Scope();

  constructor(
    request: Request,
    readonly subject: Subject,
    settings: WebScopeSettings<Subject>,
  ) {
    super(request, settings);
  }

  /** Runs `fn` in the request's scope. */
  run<R>(fn: () => R): R {
    return storage.run(this.scope, fn);
  }

  protected onEnd(): void {
    try {
      endScope(this.scope);
    } catch (error) {
      this.settings.onResetError(error, this.subject);
    }
  }
}
