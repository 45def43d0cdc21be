import type { Logger } from 'pino';

/** Stands in for a card processor's API. */
export type Gateway = (order: string) => Promise<void>;

const answerAfterAnAwait: Gateway = () => new Promise((resolve) => setImmediate(resolve));

/** A library the handlers call: it knows nothing of requests, and its lines still carry theirs. */
export function createPayments(logger: Logger, gateway: Gateway = answerAfterAnAwait) {
  const log = logger.child({ module: 'payments' });
  return {
    async charge(order: string) {
      log.info({ order }, 'charging card');
      await gateway(order);
      if (order.endsWith('7')) throw new Error(`card declined for ${order}`);
      log.info({ order }, 'card charged');
    },
  };
}
