/**
 * The base class of the errors `current-attributes-probe` stops with before
 * it sends any load: the command line, the identities, the target or the
 * rule is wrong, and the message says how to fix it. The command exits with
 * code 2 on any of them.
 *
 * @example
 * ```ts
 * try {
 *   await prepareProbe(settings);
 * } catch (error) {
 *   if (error instanceof ProbeError) process.exitCode = 2;
 * }
 * ```
 */
export class ProbeError extends Error {
  override name = 'ProbeError';
}

/**
 * A malformed command line: an unknown option, a number out of range, a URL
 * the probe cannot send to.
 *
 * @example
 * ```ts
 * parseProbeArgs(['http://127.0.0.1:3000', '--connections', '0']);
 * // ProbeUsageError: Expected `--connections` to list positive integers, got `0` (string).
 * ```
 */
export class ProbeUsageError extends ProbeError {
  override name = 'ProbeUsageError';
}

/**
 * An identities file that cannot be probed with: unreadable, malformed, a
 * line without a field the request needs, or two users that an answer could
 * not tell apart.
 *
 * @example
 * ```ts
 * await readIdentities('users.csv');
 * // IdentityFileError: users.csv line 3: unclosed quote ...
 * ```
 */
export class IdentityFileError extends ProbeError {
  override name = 'IdentityFileError';
}

/**
 * The server did not answer the sample requests the probe sends before any
 * load: nothing listens there, it timed out, or it answered with a status
 * other than 2xx.
 *
 * @example
 * ```ts
 * await checkSamples(prepared); // ProbeTargetError: Could not connect to http://127.0.0.1:1 ...
 * ```
 */
export class ProbeTargetError extends ProbeError {
  override name = 'ProbeTargetError';
}

/**
 * The rule that reads each answer (`--json-path`, `--regex`) found nothing in
 * the answer to a sample request, or found a value other than the one that
 * user must get.
 *
 * @example
 * ```ts
 * await checkSamples(prepared); // RuleMatchError: The rule json path `user.name` found nothing ...
 * ```
 */
export class RuleMatchError extends ProbeError {
  override name = 'RuleMatchError';
}
