import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { SoakProbe } from './probe.js';

/** One request as the soak's routes see it, whatever the framework. */
export interface Exchange {
  /** `plain` or `stream`, then the request's index: `/plain/17`. */
  readonly path: string;
  readonly user: string;
  /** Sends the status and a first chunk: the response has started. */
  write(text: string): void;
  end(text: string): void;
  /** Answers with a body produced by `source`, in the framework's own way of streaming one. */
  stream(source: () => AsyncIterable<string>): void;
}

/** Turns to wait: a mix of answers at once and answers after a few turns. */
function turnsOf(index: number): number {
  return index % 3;
}

/**
 * The route of every soak app: a plain answer, sometimes started before the
 * handler waits, or a body streamed by a generator. Each section reports
 * itself to `probe` and checks `Current.user` across its awaits. A request
 * whose client will hang up (`?slow`) waits a millisecond, so the hang-up
 * comes while it runs.
 */
export async function handle(probe: SoakProbe, exchange: Exchange): Promise<void> {
  const [, kind, rest = ''] = exchange.path.split('/');
  const index = Number.parseInt(rest, 10);
  const slow = rest.includes('slow');
  const id = exchange.path;
  const { user } = exchange;
  probe.handlersRun += 1;
  probe.enter(id);
  probe.check(user);
  if (kind === 'plain' && (slow || index % 4 === 0)) exchange.write('started ');
  for (let turn = turnsOf(index); turn > 0; turn -= 1) await nextTurn();
  if (slow) await sleep(1);
  probe.check(user);
  probe.exit(id);
  if (kind === 'plain') {
    exchange.end(user);
    return;
  }
  exchange.stream(async function* () {
    probe.enter(id);
    try {
      for (let chunk = 0; chunk < 3; chunk += 1) {
        probe.check(user);
        yield `${chunk} `;
        if (slow) await sleep(1);
        else await nextTurn();
      }
      probe.check(user);
      yield user;
    } finally {
      probe.exit(id);
    }
  });
}
