import { type Barrier, createBarrier } from 'current-attributes/testing';

/** Holds requests in generations: each waits until `size` have arrived, then all of them go on together. */
export interface Generations {
  arrive(): Promise<void>;
  /** The size of the next generation; call it between two runs, when no request is waiting. */
  resize(size: number): void;
}

/**
 * A barrier that starts over after each generation. With `size` equal to the
 * load's connections, each sending one request at a time, every generation
 * holds exactly one request of each connection: the worst interleaving, on
 * every request, however fast or slow the machine.
 */
export function createGenerations(size = 1): Generations {
  let barrier: Barrier = createBarrier(size);
  return {
    arrive() {
      const current = barrier;
      if (current.arrived + 1 === current.parties) barrier = createBarrier(current.parties);
      return current.arrive();
    },
    resize(next) {
      barrier = createBarrier(next);
    },
  };
}
