import { type CostRun, costSeconds, costServers, costUnit, measureStrategyCosts } from './cost.js';
import { type Framework, STRATEGIES, type Strategy, serverName, strategiesOn } from './frameworks.js';
import { type BenchRow, measureSetting, settingsGrid } from './load.js';
import { describeMachine, type Machine } from './machine.js';
import { checkMemory, MEMORY_STRATEGY, type MemoryCheck } from './memory.js';
import { type ServerProcess, startServerProcess } from './server-process.js';
import type { BenchSettings } from './settings.js';

export interface BenchResult {
  readonly machine: Machine;
  readonly settings: BenchSettings;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The machine's load average (1, 5, 15 minutes) when the run ended. */
  readonly loadAverageAtEnd: readonly number[];
  readonly rows: readonly BenchRow[];
  readonly memory: readonly MemoryCheck[];
  readonly cost?: CostRun;
}

export interface RunHooks {
  /** Told before each step: what runs now, and roughly how long is left. */
  readonly onStep?: (step: { index: number; total: number; label: string; secondsLeft: number }) => void;
  readonly signal?: AbortSignal;
}

/**
 * Runs each framework in turn: every strategy in its own server process, at
 * every IO delay and concurrency, one measurement at a time, then the heap
 * check of its `current` server. Then it counts the cost per request of the
 * chosen strategies, when nothing else runs.
 *
 * @example
 * ```ts
 * const result = await runBenchmark({ ...DEFAULT_SETTINGS, frameworks: ['fastify'] }, { onStep: ({ label }) => console.log(label) });
 * console.log(renderTargets(checkTargets(result)));
 * ```
 */
export async function runBenchmark(settings: BenchSettings, hooks: RunHooks = {}): Promise<BenchResult> {
  const { onStep, signal } = hooks;
  const startedAt = new Date().toISOString();
  const machine = describeMachine(settings.nodePath, settings.frameworks);
  const grid = settingsGrid(settings);
  const plan = planOf(settings, grid.length);
  let step = 0;
  let secondsLeft = plan.seconds;
  const next = (label: string, seconds: number) => {
    step += 1;
    onStep?.({ index: step, total: plan.steps, label, secondsLeft });
    secondsLeft -= seconds;
  };

  const rows: BenchRow[] = [];
  const memory: MemoryCheck[] = [];
  for (const framework of settings.frameworks) {
    const strategies = strategiesOn(framework, settings.strategies);
    // Every server of the framework starts first and stays up, idle but for its own turn.
    const servers = new Map<Strategy, ServerProcess>();
    try {
      for (const strategy of strategies)
        servers.set(
          strategy,
          await startServerProcess(serverName(framework, strategy), settings.nodePath, settings.runtime),
        );
      for (const [position, setting] of grid.entries()) {
        const connections = `${setting.connections} connection${setting.connections === 1 ? '' : 's'}`;
        next(
          `${framework}, ${setting.delayMs} ms IO, ${connections}: ${strategies.join(', ')}`,
          strategies.length * plan.measurementSeconds,
        );
        rows.push(...(await measureSetting(framework, servers, setting, position, settings, signal)));
      }
      const server = servers.get(MEMORY_STRATEGY);
      if (settings.memoryRequests > 0 && server) {
        signal?.throwIfAborted();
        next(`${framework}, heap check: ${settings.memoryRequests} requests to ${MEMORY_STRATEGY}`, plan.memorySeconds);
        memory.push(await checkMemory(server, framework, settings.memoryRequests, signal));
      }
    } finally {
      await Promise.all([...servers.values()].map((server) => server.stop()));
    }
  }
  signal?.throwIfAborted();
  const cost = await measureStrategyCosts(settings, (label) => next(`cost per request, ${label}`, plan.costSeconds));
  rows.sort((a, b) => order(settings.frameworks, a, b));
  return {
    machine,
    settings,
    startedAt,
    finishedAt: new Date().toISOString(),
    loadAverageAtEnd: describeMachine(settings.nodePath, []).loadAverage,
    rows,
    memory,
    ...(cost ? { cost } : {}),
  };
}

/** How many steps a run has, and roughly how long each kind takes, for the progress lines. */
function planOf(settings: BenchSettings, settingsCount: number) {
  const measurementSeconds = settings.warmupSeconds + settings.rounds * (settings.durationSeconds + 0.3);
  const memorySeconds = settings.memoryRequests / 5000;
  const costCount = costServers(settings).length;
  const costSecondsEach = costCount === 0 ? 0 : costSeconds(settings.costRequests, costUnit());
  let steps = costCount;
  let seconds = costCount * costSecondsEach;
  for (const framework of settings.frameworks) {
    const servers = strategiesOn(framework, settings.strategies).length;
    steps += settingsCount;
    seconds += settingsCount * servers * measurementSeconds;
    if (settings.memoryRequests > 0 && settings.strategies.includes(MEMORY_STRATEGY)) {
      steps += 1;
      seconds += memorySeconds;
    }
  }
  return { steps, seconds, measurementSeconds, memorySeconds, costSeconds: costSecondsEach };
}

function order(frameworks: readonly Framework[], a: BenchRow, b: BenchRow): number {
  return (
    frameworks.indexOf(a.framework) - frameworks.indexOf(b.framework) ||
    STRATEGIES.indexOf(a.strategy) - STRATEGIES.indexOf(b.strategy) ||
    a.delayMs - b.delayMs ||
    a.connections - b.connections
  );
}
