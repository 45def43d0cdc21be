import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PlannedRequest } from 'current-attributes/testing';
import { ProbeTargetError, RuleMatchError } from './errors.js';
import type { PreparedProbe } from './prepare.js';

/**
 * How many users get a sample request, one after the other, before any load.
 *
 * @example
 * ```ts
 * // A test server that holds requests in rounds lets the samples through alone.
 * const held = seen > SAMPLE_COUNT;
 * ```
 */
export const SAMPLE_COUNT = 2;

/**
 * Sends the first two users' requests one after the other, as the load will
 * send them, and checks each answer: the server answers, with a 2xx status,
 * and the rule reads from it that user's own value. Two, so that a server
 * that answers everyone alike (a header it ignores) fails here rather than
 * showing up as leaks. No redirect is followed.
 *
 * @throws {ProbeTargetError} when nothing listens at the URL, the server times out or answers other than 2xx.
 * @throws {RuleMatchError} when the rule reads nothing from an answer, or a value other than that user's.
 * @example
 * ```ts
 * await checkSamples(await prepareProbe(settings)); // throws before any load when something is wrong
 * ```
 */
export async function checkSamples(probe: PreparedProbe, signal?: AbortSignal): Promise<void> {
  for (const [index, planned] of probe.requests.slice(0, SAMPLE_COUNT).entries()) {
    const label = `${probe.identities[index]?.label} of ${probe.source}`;
    const { status, location, body } = await send(probe, planned, label, signal);
    const asked = `the sample request for ${label} (${planned.method} ${planned.path})`;
    const shown = `${body.slice(0, 300)}${body.length > 300 ? '...' : ''}`;
    if (status < 200 || status >= 300) {
      const redirect = location ? ` (a redirect to ${location}: the probe follows none, so give it the final URL)` : '';
      throw new ProbeTargetError(
        `The server answered ${asked} with ${status}${redirect}. Check the URL, --method, --header and --body. ` +
          `The answer: ${shown}`,
      );
    }
    const { value } = probe.judge(body, planned.expected);
    if (value === undefined) {
      throw new RuleMatchError(
        `The rule (${probe.rule.description}) found nothing in the answer to ${asked}: ${shown}\n` +
          'Make the rule match this answer: --json-path names a field of a JSON answer (user.name), ' +
          '--regex captures the value from any text.',
      );
    }
    if (value !== planned.expected) {
      throw new RuleMatchError(
        `The answer to ${asked} must carry \`${planned.expected}\` (--expect ${probe.settings.request.expect}), ` +
          `but the rule (${probe.rule.description}) read \`${value}\` from it: ${shown}\n` +
          'Fix --expect or the rule so that they agree on a single request.',
      );
    }
  }
}

/** The errors that mean no server could be reached at all. */
const UNREACHABLE = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];

/**
 * The longest answer a sample or a load request may bring, in bytes: the
 * answer to "who am I" is small, and an endless one must not grow the
 * probe's memory until it fails.
 *
 * @example
 * ```ts
 * loadAndVerify({ ...options, maxBodyBytes: MAX_ANSWER_BYTES });
 * ```
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

interface Answer {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: string;
}

function send(probe: PreparedProbe, planned: PlannedRequest, label: string, signal?: AbortSignal): Promise<Answer> {
  const { origin, timeoutSeconds } = probe.settings;
  // The origin parsed once from the URL, and the path as the load sends it: never resolved against each other.
  const { protocol, hostname, port } = new URL(origin);
  const request = protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      outcome();
    };
    const fail = (error: Error) => {
      settle(() => reject(error));
      outgoing.destroy();
    };
    const outgoing = request({
      protocol,
      hostname: hostname.replace(/^\[(.*)\]$/, '$1'),
      port,
      path: planned.path ?? '/',
      method: planned.method,
      headers: planned.headers,
      agent: false,
      ...(signal ? { signal } : {}),
    });
    let answered = false;
    let received = 0;
    // The whole exchange, not each silence: a server that trickles a byte now and then never idles.
    const deadline = setTimeout(
      () =>
        fail(
          new ProbeTargetError(
            !answered
              ? `${origin} did not answer the sample request for ${label} within ${timeoutSeconds} s. ` +
                  'Check that the server is up, or raise --timeout. No load was sent.'
              : `${origin} did not finish its answer to the sample request for ${label} within ${timeoutSeconds} s ` +
                  `(${received.toLocaleString('en-US')} bytes of it came). Check the server, or raise --timeout. No load was sent.`,
          ),
        ),
      timeoutSeconds * 1000,
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') return fail(error);
      const cause = error.code ?? error.message;
      fail(
        new ProbeTargetError(
          UNREACHABLE.includes(error.code ?? '')
            ? `Could not connect to ${origin} (${cause}). Start the server, or check the host and port in the URL. No load was sent.`
            : `The sample request for ${label} to ${origin} failed (${cause}): the server broke the connection. ` +
                "Check the server's log. No load was sent.",
        ),
      );
    });
    outgoing.on('response', (response: IncomingMessage) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        chunks.push(chunk);
        if (received > MAX_ANSWER_BYTES) {
          fail(
            new ProbeTargetError(
              `${origin} answered the sample request for ${label} with more than ${MAX_ANSWER_BYTES.toLocaleString('en-US')} ` +
                'bytes: the probe reads answers up to that size. Point it at a URL whose answer names the user. No load was sent.',
            ),
          );
        }
      });
      response.on('end', () =>
        settle(() =>
          resolve({
            status: response.statusCode ?? 0,
            location: response.headers.location,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        ),
      );
      response.on('error', (error) => fail(error));
    });
    outgoing.end(planned.body);
  });
}
