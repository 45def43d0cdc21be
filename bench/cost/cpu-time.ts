import { readFileSync } from 'node:fs';

/**
 * What a cost server prints when its window opens (`SIGUSR2`) and closes
 * (`SIGTERM`): `cpu <µs on every thread> <µs on the event loop>`. The event
 * loop runs on the process's main thread; Linux tells that thread's CPU time
 * apart (`/proc/self/task/<pid>/schedstat`, in ns). Where it cannot be read
 * (another OS, a runtime without the permission), the second figure repeats
 * the first.
 *
 * @example
 * ```ts
 * process.on('SIGUSR2', () => process.stdout.write(cpuLine())); // 'cpu 812345 790112\n'
 * ```
 */
export function cpuLine(): string {
  const { user, system } = process.cpuUsage();
  const all = user + system;
  return `cpu ${all} ${eventLoopMicros() ?? all}\n`;
}

/** Reads back the figures of each `cpuLine` in `output`, in the order they were printed. */
export function readCpuLines(output: string): Array<{ readonly allThreads: number; readonly eventLoop: number }> {
  return [...output.matchAll(/^cpu (\d+) (\d+)$/gm)].map((match) => ({
    allThreads: Number(match[1]),
    eventLoop: Number(match[2]),
  }));
}

function eventLoopMicros(): number | undefined {
  try {
    const [nanoseconds] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ');
    const micros = Math.round(Number(nanoseconds) / 1000);
    return Number.isFinite(micros) ? micros : undefined;
  } catch {
    return undefined;
  }
}
