#!/usr/bin/env node
// `npx current-attributes-probe <url> [options]`, the package's `bin`.
import { probeCommand } from './command.js';
import { EXIT_CODES } from './verdict.js';

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
  (error: unknown) => {
    process.stderr.write(
      `The probe failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(EXIT_CODES.crashed);
  },
);
