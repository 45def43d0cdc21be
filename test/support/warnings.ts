import { setImmediate as nextTurn } from 'node:timers/promises';
import { takeCalls } from './take-calls.js';

// Node prints every process warning, whatever `'warning'` listeners exist, so
// a test that triggers one on purpose takes it at `process.emitWarning`
// itself: the library calls it by name on `process` each time, so a
// replacement sees every call. A clean run of the suite then prints none.

/** A process warning as the code under test emitted it. */
export interface CapturedWarning {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
}

type EmitWarningArguments = [
  warning: string | Error,
  options?: string | { type?: string; code?: string },
  code?: string,
];

function describeWarning(...[warning, options, code]: EmitWarningArguments): CapturedWarning {
  const details = typeof options === 'string' ? { type: options, code } : (options ?? {});
  return typeof warning === 'string'
    ? { name: details.type ?? 'Warning', code: details.code, message: warning }
    : { name: warning.name, code: (warning as NodeJS.ErrnoException).code ?? details.code, message: warning.message };
}

/**
 * Takes the process warnings `keep` accepts instead of letting Node print
 * them, and passes on the others; restored when the test finishes, or by the
 * returned function.
 */
function takeWarnings(keep: (warning: CapturedWarning) => boolean, taken: (warning: CapturedWarning) => void) {
  return takeCalls(process, 'emitWarning', (...args: EmitWarningArguments) => {
    const warning = describeWarning(...args);
    if (!keep(warning)) return false;
    taken(warning);
    return true;
  });
}

/**
 * Captures every process warning the current test triggers, instead of
 * letting Node print it: the test asserts the whole array, so a warning it
 * did not expect fails it. Restored when the test finishes.
 *
 * @example
 * ```ts
 * const warnings = captureWarnings();
 * // ... a client hangs up and the handler never ends its response
 * await until(() => warnings.length === 1);
 * expect(warnings[0]?.code).toBe('CURRENT_ATTRIBUTES_LOCK_ABANDONED');
 * ```
 */
export function captureWarnings(): CapturedWarning[] {
  const captured: CapturedWarning[] = [];
  takeWarnings(
    () => true,
    (warning) => captured.push(warning),
  );
  return captured;
}

/** The warnings with `code` that the process emits from now on, until `stop()`. */
export interface WarningLog {
  readonly messages: readonly string[];
  /** Waits a turn, then stops collecting and returns what came. */
  stop(): Promise<readonly string[]>;
}

/**
 * Collects the messages of the process warnings with `code` from now on,
 * instead of letting Node print them; any other warning still prints.
 * Stopped by `stop()`, or when the test finishes.
 *
 * @example
 * ```ts
 * const warnings = collectWarnings('CURRENT_ATTRIBUTES_READ_OUTSIDE_SCOPE');
 * // ... requests served without the middleware
 * expect(await warnings.stop()).toHaveLength(1);
 * ```
 */
export function collectWarnings(code: string): WarningLog {
  const messages: string[] = [];
  const restore = takeWarnings(
    (warning) => warning.code === code,
    (warning) => messages.push(warning.message),
  );
  return {
    messages,
    async stop() {
      await nextTurn();
      restore();
      return messages;
    },
  };
}
