import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readCpuLines } from './cpu-time.js';
import { drive } from './drive.js';

// One server process of the cost count: started, driven, its window counted, killed.

/** What a cost figure counts: instructions (valgrind's callgrind) or server CPU time. */
export type CostUnit = 'instructions' | 'cpu-microseconds';

/** What a server spent in one window: on its event loop, and on all its threads. */
export interface WindowCost {
  readonly eventLoop: number;
  readonly allThreads: number;
}

const YOUNG_GENERATION_PROBE = pathToFileURL(fileURLToPath(new URL('young-generation.js', import.meta.url))).href;

/**
 * The V8 flags that hold `app`'s young generation, under valgrind, at the
 * size it reaches natively by its `to`-th request.
 *
 * Why: V8 shrinks the young generation when its allocation rate per
 * millisecond of wall time looks low, and under valgrind every server runs
 * some 50 times slower. On Node 24 and 26 the young generation then stays at
 * half its native size or less and fluctuates: `--trace-gc` counted 181 to
 * 197 scavenges per 30,000 requests under valgrind against 58 to 64
 * natively, and that fluctuation moved one app's count by a percent or more
 * from round to round. Held at the native size, valgrind counts 55 to 58
 * (docs/benchmarks/cost.md). Nodes 20 and 22 did not shrink it; holding them
 * at their native size changes nothing there.
 */
export async function pinnedYoungGeneration(
  app: string,
  to: number,
  connections: number,
  node: readonly string[],
  serverScript: string,
): Promise<readonly string[]> {
  const [command, ...flags] = node;
  const young = /^young-generation (\d+)$/m;
  const bytes = await runServer(
    app,
    [command as string, `--import=${YOUNG_GENERATION_PROBE}`, ...flags],
    serverScript,
    async (server) => {
      await drive(server.port, to, connections);
      process.kill(server.pid, 'SIGTERM');
      return server.printed(() => young.exec(server.output())?.[1]).then(Number, () => Number.NaN);
    },
  );
  if (!Number.isFinite(bytes) || bytes <= 0) {
    throw new Error(`The ${app} server, run natively, did not print its young generation's size before it exited.`);
  }
  // The new space is two semi-spaces; V8 takes their size in whole megabytes.
  const semiSpaceMb = Math.max(1, Math.round(bytes / 2 / 2 ** 20));
  return [`--min-semi-space-size=${semiSpaceMb}`, `--max-semi-space-size=${semiSpaceMb}`];
}

/** A server started by `runServer`, for the steps that drive it. */
interface RunningServer {
  readonly port: number;
  readonly pid: number;
  /** Everything the server printed so far. */
  output(): string;
  /** Resolves once the server printed what `found` looks for. */
  printed<T>(found: () => T | undefined): Promise<T>;
}

/**
 * Starts `app`'s server as `node <serverScript> <app> <port>` (`command`
 * may put valgrind before it), waits for `listening`, runs `steps`, and
 * kills the server whatever happened.
 */
async function runServer<T>(
  app: string,
  command: readonly string[],
  serverScript: string,
  steps: (server: RunningServer) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const [executable, ...args] = [...command, serverScript, app, String(port)];
  const child = spawn(executable as string, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  const printed = <R>(found: () => R | undefined) =>
    new Promise<R>((resolve, reject) => {
      const check = () => {
        const result = found();
        if (result === undefined) return;
        child.stdout.off('data', check);
        resolve(result);
      };
      child.stdout.on('data', check);
      // 'close', not 'exit': by then everything the server printed has been read.
      child.once('close', (code) => {
        const result = found();
        if (result !== undefined) resolve(result);
        else reject(new Error(`The ${app} server exited with ${code}; it printed: ${output}`));
      });
      check();
    });
  try {
    await printed(() => (output.includes('listening') ? true : undefined));
    return await steps({ port, pid: child.pid as number, output: () => output, printed });
  } finally {
    child.kill('SIGKILL');
  }
}

/**
 * Runs `app`'s server for `to` requests in one process and returns what it
 * spent from the `from`-th answer to the `to`-th: callgrind's counters are
 * zeroed at the first and dumped at the second (`callgrind_control`), one
 * file per thread, the main thread's first; or the CPU time the server
 * prints is read at both (`SIGUSR2`, then `SIGTERM`).
 */
export async function windowCost(
  app: string,
  [from, to]: readonly [number, number],
  connections: number,
  unit: CostUnit,
  node: readonly string[],
  serverScript: string,
): Promise<WindowCost> {
  const work = await mkdtemp(path.join(tmpdir(), 'bench-cost-'));
  const out = path.join(work, 'callgrind.out');
  const command =
    unit === 'instructions'
      ? ['valgrind', '--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${out}`, ...node]
      : node;
  try {
    return await runServer(app, command, serverScript, async (server) => {
      /** Sends `signal` and resolves with the CPU time the server prints for it. */
      const cpuAfter = (signal: 'SIGUSR2' | 'SIGTERM') => {
        const seen = readCpuLines(server.output()).length;
        process.kill(server.pid, signal);
        return server.printed(() => readCpuLines(server.output())[seen]);
      };
      await drive(server.port, from, connections);
      const start = await cpuAfter('SIGUSR2');
      if (unit === 'instructions') callgrind('--zero', server.pid);
      await drive(server.port, to - from, connections);
      if (unit === 'cpu-microseconds') {
        const end = await cpuAfter('SIGTERM');
        return { eventLoop: end.eventLoop - start.eventLoop, allThreads: end.allThreads - start.allThreads };
      }
      callgrind('--dump', server.pid);
      return await threadTotals(work, app);
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The instructions of callgrind's first dump in `work`, from its file per
 * thread (`callgrind.out.1-01`, `-02`, ...): thread 1 is the main thread,
 * which runs the event loop.
 */
async function threadTotals(work: string, app: string): Promise<WindowCost> {
  const files = (await readdir(work)).filter((file) => file.startsWith('callgrind.out.1-')).sort();
  let eventLoop: number | undefined;
  let allThreads = 0;
  for (const file of files) {
    const totals = /^(?:summary|totals): (\d+)/m.exec(await readFile(path.join(work, file), 'utf8'));
    if (totals === null) throw new Error(`callgrind wrote no totals for ${app} in ${file}.`);
    allThreads += Number(totals[1]);
    if (file.endsWith('-01')) eventLoop = Number(totals[1]);
  }
  if (eventLoop === undefined)
    throw new Error(`callgrind wrote no count of ${app}'s main thread; it wrote ${files.join(', ')}.`);
  return { eventLoop, allThreads };
}

/** Tells the callgrind of process `pid` to zero its counters or dump them, and waits until it did. */
function callgrind(command: '--zero' | '--dump', pid: number): void {
  execFileSync('callgrind_control', [command, String(pid)], { stdio: 'ignore' });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
