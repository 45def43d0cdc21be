import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** The machine a run measured, recorded with its numbers. */
export interface Machine {
  readonly serverNode: string;
  readonly driverNode: string;
  readonly platform: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly memoryGiB: number;
  readonly loadAverage: readonly number[];
}

export function describeMachine(nodePath: string): Machine {
  const cpus = os.cpus();
  return {
    serverNode: execFileSync(nodePath, ['--version'], { encoding: 'utf8' }).trim(),
    driverNode: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}
