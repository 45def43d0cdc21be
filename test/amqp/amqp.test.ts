import amqp, { type ChannelModel } from 'amqplib';
import { consumeInContext, publishOptions } from 'current-attributes/amqp';
import { createPropagator } from 'current-attributes/propagation';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SECRET, Traveling } from '../propagation/support.js';
import { type RunningRabbit, rabbitInstalled, startRabbit } from '../support/rabbitmq-server.js';

const run = rabbitInstalled() || process.env.CI === 'true';
if (!run)
  console.warn(
    '\n  The RabbitMQ tests are skipped: rabbitmq-server is not installed (apt-get install rabbitmq-server).\n',
  );

describe.runIf(run)('RabbitMQ (a real rabbitmq-server)', () => {
  let rabbit: RunningRabbit;
  let connection: ChannelModel;
  const publisher = createPropagator({ trust: { secret: SECRET }, currents: [Traveling] });
  const consumer = createPropagator({ trust: { secret: SECRET }, currents: [Traveling] });

  beforeAll(async () => {
    rabbit = await startRabbit();
    connection = await amqp.connect(rabbit.url);
  }, 180_000);

  afterAll(async () => {
    await connection?.close();
    await rabbit?.stop();
  }, 60_000);

  test('each of 100 messages is consumed in a scope holding its publisher’s values, never a hidden one', async () => {
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    const seen = new Map<string, unknown>();
    const all = new Promise<void>((resolve) => {
      void channel.consume(
        queue,
        consumeInContext(consumer, async (message) => {
          if (message === null) return;
          await new Promise((resolve) => setImmediate(resolve));
          seen.set(message.content.toString(), { ...Traveling.attributes, apiToken: Traveling.apiToken });
          channel.ack(message);
          if (seen.size === 100) resolve();
        }),
      );
    });
    await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        Traveling.run(async () => {
          Traveling.tenant = `tenant-${index}`;
          Traveling.userId = index;
          Traveling.apiToken = 'never-sent';
          await new Promise((resolve) => setImmediate(resolve));
          channel.sendToQueue(queue, Buffer.from(String(index)), publishOptions(publisher, { persistent: false }));
        }),
      ),
    );
    await all;
    for (let index = 0; index < 100; index += 1) {
      expect(seen.get(String(index))).toEqual({
        tenant: `tenant-${index}`,
        userId: index,
        locale: 'en',
        apiToken: undefined,
      });
    }
    expect(consumer.stats.accepted).toBe(100);
    await channel.close();
  }, 60_000);

  test('a redelivered message is restored again from its headers; an unsigned one runs with the defaults', async () => {
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    const tenants: Array<string | undefined> = [];
    const done = new Promise<void>((resolve) => {
      void channel.consume(
        queue,
        consumeInContext(consumer, (message) => {
          if (message === null) return;
          tenants.push(Traveling.tenant);
          Traveling.tenant = 'changed by the first attempt';
          if (!message.fields.redelivered && message.content.toString() === 'signed')
            channel.nack(message, false, true);
          else channel.ack(message);
          if (tenants.length === 3) resolve();
        }),
      );
    });
    Traveling.run(() => {
      Traveling.tenant = 'acme';
      channel.sendToQueue(queue, Buffer.from('signed'), publishOptions(publisher));
    });
    channel.sendToQueue(queue, Buffer.from('forged'), { headers: { baggage: 'tenant=victim' } });
    await done;
    expect(tenants.sort()).toEqual(['acme', 'acme', undefined].sort());
    expect(consumer.stats.rejected.unsigned).toBe(1);
    await channel.close();
  }, 60_000);
});
