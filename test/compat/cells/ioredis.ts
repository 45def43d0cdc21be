import { bindEmitter } from 'current-attributes';
import { Redis } from 'ioredis';
import { viaCallback } from '../harness/callback.js';
import type { Services } from '../harness/cell.js';
import { libraryRows } from '../harness/cell.js';
import type { Probe } from '../harness/reads.js';

/** A client made at start-up that connects on its first command: the opener's. */
const client = {
  needs: ['redis'] as const,
  start: (services: Services) => ({
    redis: new Redis(services.redis, { lazyConnect: true }),
    prefix: services.namespace,
  }),
  stop: ({ redis }: { redis: Redis }) => void redis.disconnect(),
};
type Client = { redis: Redis; prefix: string };

function commandCallback() {
  return {
    ...client,
    async request({ redis, prefix }: Client, probe: Probe) {
      const key = `${prefix}:ioredis:${probe.id}`;
      await viaCallback<'OK'>(
        (callback) => redis.set(key, String(probe.id), callback as never),
        () => probe.read(),
      );
    },
  };
}

function pipelineCallback() {
  return {
    ...client,
    async request({ redis, prefix }: Client, probe: Probe) {
      const key = `${prefix}:ioredis:pipeline:${probe.id}`;
      const callback = (error?: Error | null) => {
        if (!error) probe.read();
      };
      await redis.pipeline().set(key, String(probe.id)).get(key, callback).exec();
      probe.read();
    },
  };
}

/** A subscriber connection and a publisher, made at start-up; each request waits for a message on its own channel. */
function pubSub(bindSubscriber: boolean) {
  return {
    needs: ['redis'] as const,
    start(services: Services) {
      const subscriber = new Redis(services.redis, { lazyConnect: true });
      return {
        subscriber: bindSubscriber ? bindEmitter(subscriber) : subscriber,
        publisher: new Redis(services.redis, { lazyConnect: true }),
        prefix: services.namespace,
      };
    },
    stop({ subscriber, publisher }: { subscriber: Redis; publisher: Redis }) {
      subscriber.disconnect();
      publisher.disconnect();
    },
    async request(
      { subscriber, publisher, prefix }: { subscriber: Redis; publisher: Redis; prefix: string },
      probe: Probe,
    ) {
      const channel = `${prefix}:ioredis:channel:${probe.id}`;
      const received = new Promise<void>((resolve) => {
        const onMessage = (from: string) => {
          if (from !== channel) return;
          probe.read();
          subscriber.off('message', onMessage);
          resolve();
        };
        subscriber.on('message', onMessage);
      });
      await subscriber.subscribe(channel);
      await publisher.publish(channel, 'hello');
      await received;
      await subscriber.unsubscribe(channel);
    },
  };
}

export const rows = libraryRows('ioredis', 'ioredis', [
  {
    key: 'command-callback',
    mode: 'commands with a callback',
    asIs: commandCallback(),
  },
  {
    key: 'command-promise',
    mode: 'commands awaited',
    asIs: {
      ...client,
      async request({ redis, prefix }: Client, probe: Probe) {
        await redis.set(`${prefix}:ioredis:${probe.id}`, String(probe.id));
        probe.read();
      },
    },
  },
  {
    key: 'pipeline',
    mode: 'pipeline with a command callback, exec awaited',
    asIs: pipelineCallback(),
  },
  {
    key: 'pubsub',
    mode: "pub/sub: a subscriber made at start-up, a 'message' listener per request",
    asIs: pubSub(false),
    fixed: { fix: 'const subscriber = bindEmitter(new Redis(url))', cell: pubSub(true) },
  },
]);
