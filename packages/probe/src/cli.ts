#!/usr/bin/env node
// `npx current-attributes-probe <url> [options]`, the package's `bin`.
import { probeCommand } from './command.js';
import { EXIT_CODES } from './verdict.js';

/** Reports a failure of the probe itself: exit code 4, never 1, which means a leak. */
function crashed(error: unknown): never {
  process.stderr.write(
    `The probe failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(EXIT_CODES.crashed);
}
// A throw from an event listener would otherwise end the process with code 1.
process.on('uncaughtException', crashed);

const stop = new AbortController();
process.on('SIGINT', () => {
  // A second Ctrl-C quits at once, as people expect when the first seems slow.
  if (stop.signal.aborted) process.exit(EXIT_CODES.interrupted);
  process.stderr.write('\nStopping the load; the table follows. Press Ctrl-C again to quit at once.\n');
  stop.abort();
});

probeCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
  signal: stop.signal,
}).then(
  // Exits rather than waiting for the event loop to drain: the load's sockets may linger after the result is in.
  (code) => process.exit(code),
  crashed,
);
