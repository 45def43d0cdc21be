#!/usr/bin/env node
// `npx current-attributes <command>`, the package's `bin`. One command today:
// `probe`, which points the leak check of `npm run bench` at any server.
import { probeCommand } from './probe/command.js';
import { EXIT_CODES } from './probe/verdict.js';

const USAGE = `Usage: npx current-attributes <command> [options]

Commands:
  probe <url>   Drive any HTTP server with many concurrent users and count the answers that
                carry another user's data. See: npx current-attributes probe --help
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'probe') {
    const stop = new AbortController();
    process.on('SIGINT', () => {
      // A second Ctrl-C quits at once, as people expect when the first seems slow.
      if (stop.signal.aborted) process.exit(EXIT_CODES.interrupted);
      process.stderr.write('\nStopping the load; the table follows. Press Ctrl-C again to quit at once.\n');
      stop.abort();
    });
    return probeCommand(rest, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      interactive: process.stderr.isTTY === true,
      signal: stop.signal,
    });
  }
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command === undefined ? EXIT_CODES.badInput : EXIT_CODES.noLeak;
  }
  process.stderr.write(`Unknown command \`${command}\`.\n\n${USAGE}`);
  return EXIT_CODES.badInput;
}

main(process.argv.slice(2)).then(
  // Exits rather than waiting for the event loop to drain: the load's sockets may linger after the result is in.
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `The probe failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(EXIT_CODES.crashed);
  },
);
