import type { Probe } from './reads.js';

/**
 * The probes of the requests in flight, by request id, for code made at
 * start-up (a query listener, a batch function, a consumer) that learns
 * from its arguments which request it serves.
 */
export class ProbeBoard {
  readonly #probes = new Map<number, Probe>();

  /** Makes `probe` reachable by its id; call it in the request, before the library can call back. */
  enter(probe: Probe): void {
    this.#probes.set(probe.id, probe);
  }

  /**
   * Reads Current for request `id`, from wherever the library calls. Skips
   * an undefined id (a `BEGIN` or `COMMIT`, whose parameters name no
   * request); throws for an id no request entered.
   */
  readFor(id: unknown): void {
    if (id === undefined) return;
    const probe = this.#probes.get(Number(id));
    if (probe === undefined) throw new Error(`No request ${String(id)} entered the board`);
    probe.read();
  }
}
