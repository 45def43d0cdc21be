import { parseProbeArgs } from './args.js';
import { ProbeError } from './errors.js';
import { checkOpenFiles } from './open-files.js';
import { prepareProbe } from './prepare.js';
import { probeJson, renderProbeReport } from './report.js';
import { runProbe } from './run.js';
import { checkSamples } from './samples.js';
import { PROBE_USAGE } from './usage.js';
import { EXIT_CODES, probeVerdict } from './verdict.js';

/** Where the command writes, and what stops it. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  /** Progress, warnings and errors. */
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal, where progress rewrites one line instead of adding lines. */
  readonly interactive: boolean;
  /** Ctrl-C: stops the load; what was measured is still printed. */
  readonly signal: AbortSignal;
}

const plural = (count: number, word: string) => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;

/**
 * Runs `current-attributes-probe` with its command-line words, and resolves
 * with the exit code (see `EXIT_CODES`). Bad usage or input is reported on
 * stderr in one message that says how to fix it, before any load.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * process.once('SIGINT', () => stop.abort());
 * process.exitCode = await probeCommand(process.argv.slice(2), {
 *   stdout: (text) => process.stdout.write(text),
 *   stderr: (text) => process.stderr.write(text),
 *   interactive: process.stderr.isTTY,
 *   signal: stop.signal,
 * });
 * ```
 */
export async function probeCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { stdout, stderr, interactive, signal } = io;
  try {
    const settings = parseProbeArgs(argv);
    if (settings === 'help') {
      stdout(PROBE_USAGE);
      return EXIT_CODES.noLeak;
    }
    const most = Math.max(...settings.connections);
    checkOpenFiles(most);
    const probe = await prepareProbe(settings);
    if (probe.identities.length < most) {
      stderr(
        `Warning: ${plural(probe.identities.length, 'user')} for up to ${plural(most, 'connection')}: some requests ` +
          'in flight at once belong to the same user, and a leak between them cannot be seen. Give more users.\n',
      );
    }
    await checkSamples(probe, signal);
    const result = await runProbe(probe, {
      signal,
      onRun: ({ index, total, phase, connections }) =>
        stderr(`[${index}/${total}] ${phase === 'warm-up' ? 'warm-up, ' : ''}${plural(connections, 'connection')}\n`),
      onProgress: ({ connections, responses, leaked }) => {
        const line = `  ${plural(connections, 'connection')}: ${plural(responses, 'answer')}, ${leaked.toLocaleString('en-US')} leaked`;
        stderr(interactive ? `\r${line}` : `${line}\n`);
      },
    });
    if (interactive) stderr('\n');
    stdout(settings.json ? `${JSON.stringify(probeJson(probe, result), null, 2)}\n` : renderProbeReport(probe, result));
    return probeVerdict(result).exitCode;
  } catch (error) {
    if (error instanceof ProbeError) {
      stderr(`${error.message}\n`);
      return EXIT_CODES.badInput;
    }
    if (signal.aborted) {
      stderr('Interrupted before any load was sent.\n');
      return EXIT_CODES.interrupted;
    }
    throw error;
  }
}
