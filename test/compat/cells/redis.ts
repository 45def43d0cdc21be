import { bind } from 'current-attributes';
import { createClient } from 'redis';
import type { Services } from '../harness/cell.js';
import { libraryRows } from '../harness/cell.js';
import type { Probe } from '../harness/reads.js';

type Client = ReturnType<typeof createClient>;

/** A client made at start-up that the first request connects (a lazy singleton): the opener's socket. */
class LazyClient {
  readonly #client: Client;
  #connected: Promise<Client> | undefined;
  constructor(
    url: string,
    readonly prefix: string,
  ) {
    this.#client = createClient({ url });
  }
  get(): Promise<Client> {
    this.#connected ??= this.#client.connect();
    return this.#connected;
  }
  async close(): Promise<void> {
    if (this.#connected !== undefined) await this.#client.quit();
  }
}

const client = {
  needs: ['redis'] as const,
  start: (services: Services) => new LazyClient(services.redis, services.namespace),
  stop: (client: LazyClient) => client.close(),
};

/** A subscriber and a publisher connected by the opener; each request subscribes to its own channel. */
function pubSub(bound: boolean) {
  return {
    needs: ['redis'] as const,
    start: (services: Services) => ({
      subscriber: new LazyClient(services.redis, services.namespace),
      publisher: new LazyClient(services.redis, services.namespace),
    }),
    async stop({ subscriber, publisher }: { subscriber: LazyClient; publisher: LazyClient }) {
      await Promise.all([subscriber.close(), publisher.close()]);
    },
    async request({ subscriber, publisher }: { subscriber: LazyClient; publisher: LazyClient }, probe: Probe) {
      const channel = `${subscriber.prefix}:redis:channel:${probe.id}`;
      const [sub, pub] = await Promise.all([subscriber.get(), publisher.get()]);
      let heard!: () => void;
      const received = new Promise<void>((resolve) => {
        heard = resolve;
      });
      const listener = () => {
        probe.read();
        heard();
      };
      await sub.subscribe(channel, bound ? bind(listener) : listener);
      await pub.publish(channel, 'hello');
      await received;
      await sub.unsubscribe(channel);
    },
  };
}

export const rows = libraryRows('redis', 'redis', [
  {
    key: 'command',
    mode: 'commands awaited',
    asIs: {
      ...client,
      async request(client: LazyClient, probe: Probe) {
        const redis = await client.get();
        probe.read();
        await redis.set(`${client.prefix}:redis:${probe.id}`, String(probe.id));
        probe.read();
      },
    },
  },
  {
    key: 'multi',
    mode: 'multi().set().get().exec() awaited',
    asIs: {
      ...client,
      async request(client: LazyClient, probe: Probe) {
        const redis = await client.get();
        const key = `${client.prefix}:redis:multi:${probe.id}`;
        await redis.multi().set(key, String(probe.id)).get(key).exec();
        probe.read();
      },
    },
  },
  {
    key: 'pubsub',
    mode: 'pub/sub: subscribe(channel, listener) on a shared subscriber',
    asIs: pubSub(false),
    fixed: { fix: 'subscriber.subscribe(channel, bind(listener))', cell: pubSub(true) },
  },
]);
