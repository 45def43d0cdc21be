import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, MessagePattern, Payload, ServerTCP, Transport } from '@nestjs/microservices';
import { scopedTransport } from 'current-attributes/nestjs';
import { createBarrier } from 'current-attributes/testing';
import { firstValueFrom } from 'rxjs';
import { afterEach, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';

const MESSAGES = 200;
let barrier = createBarrier(MESSAGES);
/** What a handler sees when no scope was opened for its message, in place of writing. */
let unscoped = 0;

@Controller()
class WhoAmIController {
  @MessagePattern('whoami')
  async whoami(@Payload() { user }: { user: string }) {
    if (!Current.isActive) {
      unscoped += 1;
      return { user: null };
    }
    const before = Current.locale;
    Current.locale = user;
    await barrier.arrive(); // every message in flight at once, over the client's connections
    await new Promise((resolve) => setImmediate(resolve));
    return { user: Current.locale, before, requestId: Current.requestId };
  }
}

@Module({ controllers: [WhoAmIController] })
class MessagesModule {}

let microservice: INestMicroservice | undefined;
afterEach(async () => {
  await microservice?.close();
  microservice = undefined;
});

async function start(transport: ServerTCP) {
  microservice = await NestFactory.createMicroservice(MessagesModule, {
    strategy: transport,
    logger: false,
    abortOnError: false,
  });
  await microservice.listen();
  const { port } = (transport.unwrap() as import('node:net').Server).address() as AddressInfo;
  const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
  await client.connect();
  return client;
}

test(`${MESSAGES} TCP messages handled at once each read their own values in a fresh scope`, async () => {
  barrier = createBarrier(MESSAGES);
  const client = await start(
    scopedTransport(new ServerTCP({ host: '127.0.0.1', port: 0 }), {
      setup: (data) => {
        Current.requestId = `message-${(data as { user: string }).user}`;
      },
    }),
  );
  try {
    const answers = await Promise.all(
      Array.from({ length: MESSAGES }, (_, index) =>
        firstValueFrom(
          client.send<{ user: string; before: string; requestId: string }>('whoami', { user: `user-${index}` }),
        ),
      ),
    );
    answers.forEach((answer, index) => {
      expect(answer).toEqual({ user: `user-${index}`, before: 'en', requestId: `message-user-${index}` });
    });
  } finally {
    client.close();
  }
});

test('without scopedTransport a message handler runs outside any scope', async () => {
  unscoped = 0;
  const client = await start(new ServerTCP({ host: '127.0.0.1', port: 0 }));
  try {
    expect(await firstValueFrom(client.send('whoami', { user: 'ann' }))).toEqual({ user: null });
    expect(unscoped).toBe(1);
  } finally {
    client.close();
  }
});
