import type { Server } from 'node:http';
import type { Probe } from './reads.js';

/** A server the suite starts once per run; a cell names the ones it talks to. */
export type Service = 'postgres' | 'redis' | 'mariadb' | 'rabbitmq';

/** Where the servers of this run listen, and a prefix that keeps this runtime's keys, queues and channels apart. */
export interface Services {
  readonly postgres: string;
  readonly redis: string;
  readonly mariadb: string;
  readonly rabbitmq: string;
  readonly namespace: string;
}

/** What the harness gives a transport: each request's probe, the barrier and the opener's hold. */
export interface Hooks {
  probe(id: number): Probe;
  /** Waits until every concurrent request got here, so they all reach the shared object in one tick (the opener passes at once). */
  together(id: number): Promise<void>;
  /** Called when a request has done its work: the opener, in the "still running" case, waits here until the others are done. */
  done(id: number): Promise<void>;
}

/** How requests reach the server and the library: plain HTTP by default, or a socket protocol. */
export interface Transport<S> {
  /** Attaches the request handling to a fresh node:http server (through the adapter). */
  attach(shared: S, server: Server, hooks: Hooks): void | Promise<void>;
  /** Sends request `id` and waits for its answer; rejects when it failed. */
  send(shared: S, url: string, id: number): Promise<void>;
}

/**
 * One way of using one library, as applications do. `start` makes what an
 * application makes at start-up (a pool, a client, a loader), outside any
 * request; `request` is one request's use of it, reading `Current` through
 * the probe in every callback, continuation and event the library calls.
 */
export interface Cell<S> {
  readonly needs?: readonly Service[];
  start(services: Services): S | Promise<S>;
  stop(shared: S): void | Promise<void>;
  request?(shared: S, probe: Probe): Promise<void>;
  /** Replaces the plain HTTP transport (WebSocket, socket.io, GraphQL). */
  readonly transport?: Transport<S>;
}

/** One row of the matrix: a library used one way, as is or with its fix. */
export interface Row {
  /** Stable key of the row in the baseline, e.g. `pg/query-callback` or `pg/query-callback+fix`. */
  readonly id: string;
  readonly library: string;
  /** The npm package whose version is reported; undefined for Node's own modules. */
  readonly packageName: string | undefined;
  readonly mode: string;
  /** On a fixed row: the one line that fixes it. */
  readonly fix?: string;
  readonly needs: readonly Service[];
  // biome-ignore lint/suspicious/noExplicitAny: rows of every cell's own shared state live in one list
  readonly cell: Cell<any>;
}

/** One way of using a library, with the fix of its red cells when it has one. */
export interface ModeDefinition<S, F> {
  readonly key: string;
  readonly mode: string;
  readonly asIs: Cell<S>;
  readonly fixed?: { readonly fix: string; readonly cell: Cell<F> };
}

/** The rows of one library: each mode as is, and each fix as a row of its own that must be ok. */
export function libraryRows(
  library: string,
  packageName: string | undefined,
  // biome-ignore lint/suspicious/noExplicitAny: each mode has its own shared state
  modes: ReadonlyArray<ModeDefinition<any, any>>,
): Row[] {
  const key = library.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  return modes.flatMap(({ key: mode, mode: label, asIs, fixed }) => {
    const base = { library, packageName, mode: label };
    const rows: Row[] = [{ ...base, id: `${key}/${mode}`, needs: asIs.needs ?? [], cell: asIs }];
    if (fixed !== undefined) {
      rows.push({ ...base, id: `${key}/${mode}+fix`, fix: fixed.fix, needs: fixed.cell.needs ?? [], cell: fixed.cell });
    }
    return rows;
  });
}
