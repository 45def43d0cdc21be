import { parseArgs } from 'node:util';
import { describeValue } from './describe-value.js';
import { ProbeUsageError } from './errors.js';
import { PROBE_LIMITS as LIMITS, type ProbeSettings } from './settings.js';
import { parseTargetUrl } from './target-url.js';

const OPTIONS = {
  identities: { type: 'string', short: 'i' },
  generate: { type: 'string' },
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  body: { type: 'string', short: 'b' },
  expect: { type: 'string', short: 'e' },
  'json-path': { type: 'string' },
  regex: { type: 'string' },
  connections: { type: 'string', short: 'c' },
  duration: { type: 'string', short: 'd' },
  requests: { type: 'string', short: 'n' },
  rate: { type: 'string', short: 'r' },
  warmup: { type: 'string', short: 'w' },
  timeout: { type: 'string', short: 't' },
  examples: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Reads the command line of `current-attributes-probe` (the words after
 * the command). Checks every option's form and range; the identities file
 * and the server are checked later, still before any load.
 *
 * @returns the settings, or `'help'` when `--help` was asked for.
 * @throws {ProbeUsageError} naming the option, what it expects and what it got.
 * @example
 * ```ts
 * parseProbeArgs(['http://127.0.0.1:3000/me', '-i', 'users.csv', '-H', 'authorization: Bearer {token}', '-e', '{name}']);
 * ```
 */
export function parseProbeArgs(argv: readonly string[]): ProbeSettings | 'help' {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\.$/, '');
    throw new ProbeUsageError(`${message}. See \`current-attributes-probe --help\`.`);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) {
    throw new ProbeUsageError(
      `Expected one URL to probe, such as \`current-attributes-probe http://127.0.0.1:3000/me\`, got ${positionals.length}.`,
    );
  }
  const { origin, path } = parseTargetUrl(positionals[0] as string);
  if (values.identities !== undefined && values.generate !== undefined) {
    throw new ProbeUsageError('Give --identities <file> or --generate <count>, not both.');
  }
  if (values.identities !== undefined && values.expect === undefined) {
    throw new ProbeUsageError(
      "Give --expect: the value each answer must carry, from the user's fields, such as --expect '{name}'.",
    );
  }
  const connections = list('connections', values.connections) ?? [...LIMITS.connections.default];
  const most = Math.max(...connections);
  const requests = count('requests', values.requests, 1, LIMITS.requests.max);
  const ratePerSecond = count('rate', values.rate, 1, LIMITS.ratePerSecond.max);
  for (const [name, value, why] of [
    ['requests', requests, 'every connection sends at least one request'],
    ['rate', ratePerSecond, 'each connection sends a whole number of requests a second'],
  ] as const) {
    if (value !== undefined && value < most) {
      throw new ProbeUsageError(
        `Expected \`--${name}\` to be at least the largest connection count (${most}), got \`${value}\`: ${why}.`,
      );
    }
  }
  return {
    url: positionals[0] as string,
    origin,
    request: {
      method: values.method ?? 'GET',
      path,
      headers: values.header ?? [],
      body: values.body,
      expect: values.expect ?? '{i}',
    },
    identities:
      values.identities === undefined
        ? {
            generate:
              count('generate', values.generate, LIMITS.generate.min, LIMITS.generate.max) ?? LIMITS.generate.default,
          }
        : { file: values.identities },
    rule: { jsonPath: values['json-path'], regex: values.regex },
    connections,
    durationSeconds:
      seconds('duration', values.duration, LIMITS.durationSeconds.max) ??
      (requests === undefined ? LIMITS.durationSeconds.default : LIMITS.durationSeconds.withRequests),
    requests,
    ratePerSecond,
    warmupSeconds: seconds('warmup', values.warmup, LIMITS.warmupSeconds.max, true) ?? LIMITS.warmupSeconds.default,
    timeoutSeconds: seconds('timeout', values.timeout, LIMITS.timeoutSeconds.max) ?? LIMITS.timeoutSeconds.default,
    examples: count('examples', values.examples, 0, LIMITS.examples.max) ?? LIMITS.examples.default,
    json: values.json ?? false,
  };
}

function list(name: string, raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((item) => item.trim());
  const { max, maxRuns } = LIMITS.connections;
  const bad = items.find((item) => !/^\d+$/.test(item) || Number(item) < 1 || Number(item) > max);
  if (bad !== undefined || items.length > maxRuns) {
    throw new ProbeUsageError(
      `Expected \`--${name}\` to list up to ${maxRuns} integers from 1 to ${max}, such as \`1,10,50\`, got ${describeValue(bad ?? raw)}.`,
    );
  }
  return items.map(Number);
}

function count(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw new ProbeUsageError(
      `Expected \`--${name}\` to be an integer from ${min} to ${max}, got ${describeValue(raw)}.`,
    );
  }
  return Number(raw);
}

function seconds(name: string, raw: string | undefined, max: number, zero = false): number | undefined {
  if (raw === undefined) return undefined;
  // Plain decimals only: Number() would also read `0x10` as 16 and `1e1` as 10.
  const value = /^(\d+\.?\d*|\.\d+)$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isNaN(value) || (value === 0 && !zero) || value > max) {
    const least = zero ? 'from 0' : 'greater than 0 and';
    throw new ProbeUsageError(
      `Expected \`--${name}\` to be seconds ${least} up to ${max}, such as 10 or 2.5, got ${describeValue(raw)}.`,
    );
  }
  return value;
}
