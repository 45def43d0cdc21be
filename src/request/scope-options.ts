import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidArgumentError } from '../core/errors.js';
import { expectOptions, optionNames } from '../core/options.js';
import { describeValue } from '../core/validate.js';
import type { Propagator } from '../propagation/propagator.js';
import { checkHoldMs, DEFAULT_ABANDONED_HOLD_MS } from './hold-ms.js';
import type { ScopedRequestSettings } from './scoped-request.js';

/** The options of a scope middleware, whatever the framework; `Setup` takes that framework's request objects. */
export interface ScopeOptions<Setup extends (...args: never[]) => unknown> {
  /** Runs first in every request's fresh scope: the place to set attributes from the request. May be async. */
  readonly setup?: Setup;
  /**
   * Receives the `ResetCallbackError` when a reset callback fails at the end
   * of a request, where no caller is left to catch it, with Node's request
   * and response. Default: a process warning (`process.emitWarning`).
   */
  readonly onResetError?: (error: unknown, req: IncomingMessage, res: ServerResponse) => void;
  /**
   * How long a request whose client hung up keeps its values for a handler
   * that has not ended its response, in ms; then its reset callbacks run.
   * `Infinity` waits for the handler. Default 30 000.
   */
  readonly abandonedHoldMs?: number;
  /**
   * Takes the values other services sent with the request (`current-attributes/propagation`),
   * from trusted senders only, before `setup` runs. Default: none are taken.
   */
  readonly propagator?: Propagator;
  /**
   * The request's deadline, in ms from its start: then `requestSignal()`
   * aborts with `DeadlineExceededError`. A trusted caller's shorter
   * remaining time wins. Default: none.
   */
  readonly deadlineMs?: number;
}

/** The shape of every adapter's scope options; `onResetError` may take the framework's request types. */
interface AnyScopeOptions {
  readonly setup?: (...args: never[]) => unknown;
  readonly onResetError?: (error: unknown, req: never, res: never) => void;
  readonly abandonedHoldMs?: number;
  readonly propagator?: Propagator;
  readonly deadlineMs?: number;
}

const SCOPE_OPTIONS = optionNames<AnyScopeOptions>({
  setup: true,
  onResetError: true,
  abandonedHoldMs: true,
  propagator: true,
  deadlineMs: true,
});

/**
 * Validates a scope middleware's options when it is made, so a mistake fails
 * at start-up rather than on every request; `owner` is what the message of
 * an unknown option names.
 *
 * @throws {InvalidArgumentError} naming the first option that is wrong (or unknown) and what it takes.
 */
export function checkScopeOptions<Options extends AnyScopeOptions>(
  options: Options,
  owner = 'currentMiddleware()',
): { readonly setup: Options['setup']; readonly settings: ScopedRequestSettings } {
  expectOptions(options, SCOPE_OPTIONS, owner);
  const { setup, onResetError = warn, abandonedHoldMs = DEFAULT_ABANDONED_HOLD_MS } = options;
  const { propagator, deadlineMs = Number.POSITIVE_INFINITY } = options;
  if (propagator !== undefined && (typeof propagator !== 'object' || typeof propagator?.accept !== 'function')) {
    throw new InvalidArgumentError(
      `Expected \`options.propagator\` to be made by createPropagator(), got ${describeValue(propagator)}.`,
    );
  }
  for (const [name, value] of [
    ['setup', setup],
    ['onResetError', onResetError],
  ] as const) {
    if (value !== undefined && typeof value !== 'function') {
      throw new InvalidArgumentError(`Expected \`options.${name}\` to be a function, got ${describeValue(value)}.`);
    }
  }
  return {
    setup,
    settings: {
      abandonedHoldMs: checkHoldMs('options.abandonedHoldMs', abandonedHoldMs),
      propagator,
      deadlineMs: checkHoldMs('options.deadlineMs', deadlineMs),
      // Framework request types are Node's request and response with more on them: the same objects.
      onResetError: onResetError as ScopedRequestSettings['onResetError'],
    },
  };
}

/** `next`, after an awaited `setup(subject)` when there is a setup: the rest of a promise-based middleware chain. */
export function setupThen<Subject>(
  setup: ((subject: Subject) => unknown) | undefined,
  subject: Subject,
  next: () => Promise<unknown>,
): () => Promise<unknown> {
  if (setup === undefined) return next;
  return async () => {
    await setup(subject);
    return next();
  };
}

function warn(error: unknown): void {
  process.emitWarning(error instanceof Error ? error : String(error));
}
