import { defineCurrent } from 'current-attributes';

/** The request's user, set by the scope middleware's `setup` from the `x-user` header. */
export const Current = defineCurrent(
  class {
    user?: string;
  },
);

/**
 * What the soak's handlers and body producers report while they run: every
 * read of `Current.user` against the request's own user, and every section
 * of code that runs while the lock is held, so two requests' code running
 * at once and a lock held while no code runs are both measured.
 */
export class SoakProbe {
  wrongReads = 0;
  overlaps = 0;
  handlersRun = 0;
  /** The longest time the lock stayed held while none of its holders' code ran, in ms. */
  maxIdleHoldMs = 0;
  /** Sections of code running, per request. */
  readonly #running = new Map<string, number>();
  /** Since when no code ran, while the lock may still be held. */
  #idleSince = performance.now();
  #sampler: ReturnType<typeof setInterval> | undefined;
  #lockActive: () => number = () => 0;

  /** Starts measuring how long the lock whose held count `lockActive` reads stays held with nothing running. */
  watch(lockActive: () => number): void {
    this.#lockActive = lockActive;
    this.#sampler = setInterval(() => this.sample(), 10);
  }

  /** A section of request `id`'s code starts (its handler, its body's producer). */
  enter(id: string): void {
    this.sample();
    const sections = this.#running.get(id) ?? 0;
    if (sections === 0 && this.#running.size > 0) this.overlaps += 1;
    this.#running.set(id, sections + 1);
  }

  /** A section of request `id`'s code ends. */
  exit(id: string): void {
    const sections = (this.#running.get(id) ?? 1) - 1;
    if (sections > 0) {
      this.#running.set(id, sections);
      return;
    }
    this.#running.delete(id);
    if (this.#running.size === 0) this.#idleSince = performance.now();
  }

  /** Counts a read of `Current.user` that is not `user`. */
  check(user: string): void {
    if (Current.user !== user) this.wrongReads += 1;
  }

  /** Measures how long the lock has been held with none of its holders' code running. */
  sample(): void {
    if (this.#running.size > 0 || this.#lockActive() === 0) {
      this.#idleSince = performance.now();
      return;
    }
    this.maxIdleHoldMs = Math.max(this.maxIdleHoldMs, performance.now() - this.#idleSince);
  }

  /** Whether any request's code runs. */
  get busy(): boolean {
    return this.#running.size > 0;
  }

  stop(): void {
    clearInterval(this.#sampler);
  }
}
