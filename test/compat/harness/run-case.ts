import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBarrier, createDeferred } from 'current-attributes/testing';
import type { Row, Services } from './cell.js';
import { httpTransport } from './http-transport.js';
import { Probe, type ReadCounts, ReadLog, verdictOf } from './reads.js';

/** Whether the request that opened (or last used) the shared resource has answered, or is still running. */
export type OpenerCase = 'finished' | 'running';

/** What one case of one row measured. */
export interface CaseResult {
  readonly verdict: 'ok' | 'lost' | 'wrong' | 'error';
  readonly reads: ReadCounts;
  readonly error?: string;
}

export interface CaseOptions {
  /** Concurrent requests after the opener, all released together at the shared object. */
  readonly concurrency: number;
  readonly timeoutMs: number;
}

/**
 * Runs one case of a row: the shared object is made at start-up; request 0
 * (the opener) uses it first, and either answers before the others start
 * (`finished`) or stays open until they are done (`running`); then requests
 * 1..n reach it together through a barrier.
 */
export async function runCase(
  row: Row,
  services: Services,
  opener: OpenerCase,
  options: CaseOptions,
): Promise<CaseResult> {
  const log = new ReadLog();
  const ids = Array.from({ length: options.concurrency + 1 }, (_, id) => id);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
  });
  try {
    await Promise.race([measure(row, services, opener, options, ids, log), timedOut]);
    const silent = log.silent(ids);
    if (silent.length > 0)
      throw new Error(`requests ${silent.join(', ')} never read Current: the cell measures nothing there`);
    return { verdict: verdictOf(log.counts), reads: log.counts };
  } catch (error) {
    return { verdict: 'error', reads: log.counts, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

async function measure(
  row: Row,
  services: Services,
  opener: OpenerCase,
  options: CaseOptions,
  ids: readonly number[],
  log: ReadLog,
): Promise<void> {
  const { cell } = row;
  const transport = cell.transport ?? httpTransport(cell);
  const shared = await cell.start(services);
  const server = createServer({ keepAliveTimeout: 60_000 });
  try {
    const barrier = createBarrier(options.concurrency, { timeoutMs: options.timeoutMs });
    const openerWorked = createDeferred();
    const othersDone = createDeferred();
    await transport.attach(shared, server, {
      probe: (id) => new Probe(id, log),
      together: (id) => (id === 0 ? Promise.resolve() : barrier.arrive()),
      done: async (id) => {
        if (id !== 0) return;
        openerWorked.resolve();
        if (opener === 'running') await othersDone.promise;
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const first = transport.send(shared, url, 0);
    // An opener that fails never reaches `done`: let its error end the wait.
    await Promise.race([opener === 'finished' ? first : openerWorked.promise, first.then(() => undefined)]);
    try {
      await Promise.all(ids.slice(1).map((id) => transport.send(shared, url, id)));
    } finally {
      othersDone.resolve();
      await first;
    }
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await cell.stop(shared);
  }
}
