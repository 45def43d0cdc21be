import 'reflect-metadata';
import type { AddressInfo, Server } from 'node:net';
import { Controller, Get, type INestApplication, type INestMicroservice, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type ClientProxy,
  ClientProxyFactory,
  Ctx,
  MessagePattern,
  ServerTCP,
  type TcpContext,
  Transport,
} from '@nestjs/microservices';
import { InvalidArgumentError, remainingMs, requestSignal } from 'current-attributes';
import { CurrentModule, propagatePackets, scopedTransport } from 'current-attributes/nestjs';
import { createPropagator, type Propagator } from 'current-attributes/propagation';
import { type Barrier, createBarrier } from 'current-attributes/testing';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, test } from 'vitest';
import { SECRET, Traveling } from '../../propagation/support.js';

let barrier: Barrier | undefined;
const seenMetadata: Array<Record<string, string> | undefined> = [];

/** Service B: answers with what its scope holds, and keeps the packets' metadata for the replay test. */
@Controller()
class ValuesController {
  @MessagePattern('values')
  async values(@Ctx() context: TcpContext) {
    seenMetadata.push(context.getMetadata());
    await barrier?.arrive(); // every message in flight at once
    return {
      tenant: Traveling.tenant ?? null,
      requestId: Traveling.requestId ?? null,
      userId: Traveling.userId ?? null,
      apiToken: Traveling.apiToken ?? null,
    };
  }

  @MessagePattern('remaining')
  remaining() {
    return { finite: Number.isFinite(remainingMs()), withinCaller: remainingMs() <= 60_000 };
  }

  @MessagePattern('deadline')
  async deadline() {
    const signal = requestSignal();
    if (signal === undefined) return { reason: 'no scope' };
    const reason = await new Promise((resolve) => {
      if (signal.aborted) resolve(signal.reason);
      else signal.addEventListener('abort', () => resolve(signal.reason), { once: true });
    });
    return { reason: (reason as Error).name };
  }
}
@Module({ controllers: [ValuesController] })
class ServiceB {}

let client: ClientProxy;

/** Service A: an HTTP app whose request sends a message to B. */
@Controller()
class AskController {
  @Get('ask/:tenant')
  ask(@Param('tenant') tenant: string) {
    Traveling.tenant = tenant;
    Traveling.apiToken = `secret-of-${tenant}`; // hidden: never leaves A
    return firstValueFrom(client.send('values', { question: 'values' }));
  }

  @Get('send/:pattern')
  send(@Param('pattern') pattern: string) {
    return firstValueFrom(client.send(pattern, {}));
  }
}
@Module({
  imports: [CurrentModule.forRoot({ deadlineMs: 150 })],
  controllers: [AskController],
})
class HastyServiceA {}

@Module({
  imports: [
    CurrentModule.forRoot({
      setup: (request) => {
        Traveling.requestId = request.headers['x-request-id']?.toString();
        Traveling.userId = Number(request.headers['x-user-id'] ?? 0);
      },
      deadlineMs: 60_000,
    }),
  ],
  controllers: [AskController],
})
class ServiceA {}

let microservice: INestMicroservice | undefined;
let app: INestApplication | undefined;
afterEach(async () => {
  client?.close();
  await app?.close();
  await microservice?.close();
  app = microservice = undefined;
  barrier = undefined;
  seenMetadata.length = 0;
});

/** Starts B on 127.0.0.1 and a TCP client to it, whose packets carry A's values when `sender` is given. */
async function startB(receiver: Propagator | undefined, sender: Propagator | undefined) {
  const transport = new ServerTCP({ host: '127.0.0.1', port: 0 });
  microservice = await NestFactory.createMicroservice(ServiceB, {
    strategy: scopedTransport(transport, receiver === undefined ? {} : { propagator: receiver }),
    logger: false,
  });
  await microservice.listen();
  const { port } = (transport.unwrap() as Server).address() as AddressInfo;
  client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
  if (sender !== undefined) client.setOnDispatchHook(propagatePackets(sender));
  await client.connect();
}

async function startA(module: object = ServiceA): Promise<string> {
  app = await NestFactory.create(module as typeof ServiceA, { logger: false });
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
}

const ask = async (url: string, tenant: string, index: number) =>
  (
    await fetch(`${url}/ask/${tenant}`, { headers: { 'x-request-id': `r${index}`, 'x-user-id': String(index) } })
  ).json();

describe('a message sent from a request, over a real TCP microservice', () => {
  test('the request’s remaining time becomes the message’s deadline, only with the propagator', async () => {
    const sender = createPropagator({ trust: { secret: SECRET }, currents: [Traveling] });
    await startB(createPropagator({ trust: { secret: SECRET }, currents: [Traveling] }), sender);
    const url = await startA();
    expect(await (await fetch(`${url}/send/remaining`)).json()).toEqual({ finite: true, withinCaller: true });
    await app?.close();
    // A request with a 150 ms deadline: the handler's signal aborts though the microservice set none.
    const hasty = await startA(HastyServiceA);
    expect(await (await fetch(`${hasty}/send/deadline`)).json()).toEqual({ reason: 'DeadlineExceededError' });
    client.close();
    await microservice?.close();
    await startB(undefined, sender);
    expect(await (await fetch(`${hasty}/send/remaining`)).json()).toEqual({ finite: false, withinCaller: false });
  });

  test('50 requests at once: each handler’s scope holds its own request’s traveling values, signed', async () => {
    const sender = createPropagator({ trust: { secret: SECRET }, currents: [Traveling] });
    const receiver = createPropagator({ trust: { secret: SECRET }, currents: [Traveling] });
    await startB(receiver, sender);
    const url = await startA();
    barrier = createBarrier(50);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => ask(url, `t${index}`, index)));
    answers.forEach((answer, index) => {
      expect(answer).toEqual({ tenant: `t${index}`, requestId: `r${index}`, userId: index, apiToken: null });
    });
    expect(receiver.stats.accepted).toBe(50);
    expect(seenMetadata.every((metadata) => /ca\.sig=/.test(metadata?.baggage ?? ''))).toBe(true);
    expect(seenMetadata.some((metadata) => /secret-of/.test(metadata?.baggage ?? ''))).toBe(false);
  });

  test('without a propagator on scopedTransport the handler starts from the defaults, though the packet carries them', async () => {
    await startB(undefined, createPropagator({ trust: { secret: SECRET }, currents: [Traveling] }));
    const url = await startA();
    expect(await ask(url, 'acme', 1)).toEqual({ tenant: null, requestId: null, userId: null, apiToken: null });
    expect(seenMetadata[0]?.baggage).toMatch(/tenant=acme/);
  });

  test('values signed with another secret, or replayed, are refused whole and counted', async () => {
    const forger = createPropagator({ trust: { secret: `${SECRET}, but another one` }, currents: [Traveling] });
    const receiver = createPropagator({ trust: { secret: SECRET }, currents: [Traveling] });
    await startB(receiver, forger);
    const url = await startA();
    expect(await ask(url, 'evil', 1)).toEqual({ tenant: null, requestId: null, userId: null, apiToken: null });
    expect(receiver.stats.rejected.badSignature).toBe(1);

    // A genuine packet's metadata, sent again by a client that copies it onto its own packet.
    client.close();
    await microservice?.close();
    const genuine = createPropagator({ trust: { secret: SECRET }, currents: [Traveling] });
    seenMetadata.length = 0;
    await startB(receiver, genuine);
    await app?.close();
    const url2 = await startA();
    expect(await ask(url2, 'acme', 2)).toMatchObject({ tenant: 'acme' });
    const captured = seenMetadata[0] as Record<string, string>;
    client.setOnDispatchHook((packet) => {
      packet.metadata = { ...captured };
    });
    expect(await firstValueFrom(client.send('values', {}))).toMatchObject({ tenant: null });
    expect(receiver.stats.rejected.replayed).toBe(1);
  });

  test('with trust.peers, the TCP socket’s remote address is the peer checked', async () => {
    const unsigned = createPropagator({ trust: { peers: ['127.0.0.1'] }, currents: [Traveling] });
    await startB(createPropagator({ trust: { peers: ['127.0.0.1'] }, currents: [Traveling] }), unsigned);
    const url = await startA();
    expect(await ask(url, 'acme', 3)).toMatchObject({ tenant: 'acme', userId: 3 });
    client.close();
    await microservice?.close();
    const elsewhere = createPropagator({ trust: { peers: ['10.0.0.7'] }, currents: [Traveling] });
    await startB(elsewhere, unsigned);
    expect(await ask(url, 'acme', 4)).toMatchObject({ tenant: null });
    expect(elsewhere.stats.rejected.untrustedPeer).toBe(1);
  });
});

test('scopedTransport and propagatePackets refuse what is not a propagator, and unknown options', () => {
  const transport = new ServerTCP({ host: '127.0.0.1', port: 0 });
  expect(() => scopedTransport(transport, { propagator: {} as never })).toThrow(/createPropagator/);
  expect(() => scopedTransport(transport, { propagators: {} } as never)).toThrow(/did you mean `propagator`/);
  expect(() => propagatePackets(undefined as never)).toThrow(InvalidArgumentError);
});
