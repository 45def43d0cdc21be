import { setImmediate as nextTurn } from 'node:timers/promises';

/** The warnings with `code` that the process emits from now on, until `stop()`. */
export interface WarningLog {
  readonly messages: readonly string[];
  /** Waits a turn (warnings are emitted on the next tick), then stops collecting and returns what came. */
  stop(): Promise<readonly string[]>;
}

export function collectWarnings(code: string): WarningLog {
  const messages: string[] = [];
  const onWarning = (warning: Error & { code?: string }) => {
    if (warning.code === code) messages.push(warning.message);
  };
  process.on('warning', onWarning);
  return {
    messages,
    async stop() {
      await nextTurn();
      process.off('warning', onWarning);
      return messages;
    },
  };
}
