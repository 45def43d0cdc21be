import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { bindCallbacks, restoreContext, type SerializedContext, serializeContext } from 'current-attributes';
import type { Services } from '../harness/cell.js';
import { libraryRows } from '../harness/cell.js';
import { ProbeBoard } from '../harness/probes.js';
import type { Probe } from '../harness/reads.js';

/** A connection, a channel and a queue opened by the first request that needs them (a lazy singleton): the opener's. */
class LazyQueue<C extends Channel> {
  readonly queue: string;
  #opened: Promise<{ connection: ChannelModel; channel: C }> | undefined;
  constructor(
    readonly services: Services,
    readonly open: (connection: ChannelModel) => Promise<C>,
    readonly onOpen: (channel: C, queue: string) => Promise<unknown>,
  ) {
    this.queue = `${services.namespace}.${randomUUID()}`;
  }
  channel(): Promise<C> {
    this.#opened ??= (async () => {
      const connection = await amqp.connect(this.services.rabbitmq);
      const channel = await this.open(connection);
      await channel.assertQueue(this.queue, { exclusive: true, autoDelete: true });
      await this.onOpen(channel, this.queue);
      return { connection, channel };
    })();
    return this.#opened.then(({ channel }) => channel);
  }
  async close(): Promise<void> {
    if (this.#opened !== undefined) await (await this.#opened).connection.close();
  }
}

interface ConsumerShared {
  readonly queue: LazyQueue<Channel>;
  readonly board: ProbeBoard;
  readonly handled: Map<number, () => void>;
}

/** A consumer of the app's own queue, set up with the connection; each request publishes and waits until it was handled. */
function consumerCell(carryContext: boolean) {
  return {
    needs: ['rabbitmq'] as const,
    start(services: Services): ConsumerShared {
      const board = new ProbeBoard();
      const handled = new Map<number, () => void>();
      const queue = new LazyQueue(
        services,
        (connection) => connection.createChannel(),
        (channel, name) =>
          channel.consume(name, (message) => {
            if (message === null) return;
            const id = Number(message.content.toString());
            const context = message.properties.headers?.['x-current-context'] as string | undefined;
            const work = () => board.readFor(id);
            if (context === undefined) work();
            else restoreContext(JSON.parse(context) as SerializedContext, work);
            channel.ack(message);
            handled.get(id)?.();
          }),
      );
      return { queue, board, handled };
    },
    stop: ({ queue }: ConsumerShared) => queue.close(),
    async request({ queue, board, handled }: ConsumerShared, probe: Probe) {
      board.enter(probe);
      const channel = await queue.channel();
      probe.read();
      const done = new Promise<void>((resolve) => handled.set(probe.id, resolve));
      const headers = carryContext ? { 'x-current-context': JSON.stringify(serializeContext()) } : {};
      channel.sendToQueue(queue.queue, Buffer.from(String(probe.id)), { headers });
      await done;
      probe.read();
    },
  };
}

/** A confirm channel opened by the opener; each request publishes with a callback for the broker's confirmation. */
function confirmCell(bound: boolean) {
  return {
    needs: ['rabbitmq'] as const,
    start: (services: Services) =>
      new LazyQueue<ConfirmChannel>(
        services,
        async (connection) => {
          const channel = await connection.createConfirmChannel();
          return bound ? bindCallbacks(channel, ['sendToQueue']) : channel;
        },
        async () => undefined,
      ),
    stop: (queue: LazyQueue<ConfirmChannel>) => queue.close(),
    async request(queue: LazyQueue<ConfirmChannel>, probe: Probe) {
      const channel = await queue.channel();
      await new Promise<void>((resolve, reject) =>
        channel.sendToQueue(queue.queue, Buffer.from(String(probe.id)), {}, (error) => {
          if (error) return reject(error);
          probe.read();
          resolve();
        }),
      );
      probe.read();
    },
  };
}

export const rows = libraryRows('amqplib', 'amqplib', [
  {
    key: 'consume',
    mode: 'a consumer set up with the connection, the first request opening it',
    asIs: consumerCell(false),
    fixed: {
      fix: "publish with headers { 'x-current-context': JSON.stringify(serializeContext()) }; consume in restoreContext(...)",
      cell: consumerCell(true),
    },
  },
  {
    key: 'confirm',
    mode: 'a confirm channel, sendToQueue(queue, content, options, callback)',
    asIs: confirmCell(false),
    fixed: { fix: "bindCallbacks(await connection.createConfirmChannel(), ['sendToQueue'])", cell: confirmCell(true) },
  },
]);
