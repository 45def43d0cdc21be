import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CanActivate, Injectable, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { MessageBody, type OnGatewayConnection, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { ScopeMissingError } from 'current-attributes';
import { scopedWsAdapter } from 'current-attributes/nestjs';
import { createBarrier } from 'current-attributes/testing';
import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import { Current } from '../../support/fixtures.js';

const CLIENTS = 50;
const connectionErrors: unknown[] = [];
let barrier = createBarrier(CLIENTS);

@Injectable()
class SignedInGuard implements CanActivate {
  canActivate() {
    return Current.user !== undefined;
  }
}

@WebSocketGateway()
class WhoAmIGateway implements OnGatewayConnection {
  handleConnection(_client: WebSocket, request: IncomingMessage) {
    const name = new URL(request.url ?? '/', 'http://localhost').searchParams.get('user') as string;
    try {
      Current.user = { id: name, name, account: `account-${name}` };
    } catch (error) {
      connectionErrors.push(error);
    }
  }

  @UseGuards(SignedInGuard)
  @SubscribeMessage('whoami')
  async whoami(@MessageBody() message: { n: number; locale?: string }) {
    const before = Current.locale; // what earlier messages of this connection wrote must not be here
    if (message.locale !== undefined) Current.locale = message.locale;
    if (message.n === 1) await barrier.arrive(); // every client's message in flight at once
    await new Promise((resolve) => setImmediate(resolve));
    return { event: 'whoami', data: { user: Current.user?.name, account: Current.account, before, n: message.n } };
  }
}

@Module({ providers: [WhoAmIGateway, SignedInGuard] })
class GatewayModule {}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function ask(socket: WebSocket, data: object): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    socket.once('message', (raw) => resolve((JSON.parse(raw.toString()) as { data: Record<string, unknown> }).data));
    socket.send(JSON.stringify({ event: 'whoami', data }));
  });
}

test(`${CLIENTS} WebSocket clients send interleaved messages, each read by its handler with its own connection’s values`, async () => {
  barrier = createBarrier(CLIENTS);
  const app = await NestFactory.create(GatewayModule, { logger: false, abortOnError: false });
  app.useWebSocketAdapter(scopedWsAdapter(new WsAdapter(app)));
  await app.listen(0, '127.0.0.1');
  close = () => app.close();
  const { port } = app.getHttpServer().address() as AddressInfo;
  const sockets = await Promise.all(
    Array.from({ length: CLIENTS }, (_, index) => connect(`ws://127.0.0.1:${port}/?user=user-${index}`)),
  );
  try {
    const first = await Promise.all(sockets.map((socket, index) => ask(socket, { n: 1, locale: `locale-${index}` })));
    const second = await Promise.all(sockets.map((socket) => ask(socket, { n: 2 })));
    first.forEach((answer, index) => {
      expect(answer).toEqual({ user: `user-${index}`, account: `account-user-${index}`, before: 'en', n: 1 });
    });
    // A message starts from the connection's values: the first message's locale stayed in that message.
    second.forEach((answer, index) => {
      expect(answer).toEqual({ user: `user-${index}`, account: `account-user-${index}`, before: 'en', n: 2 });
    });
  } finally {
    for (const socket of sockets) socket.close();
  }
});

test('without scopedWsAdapter, handleConnection has no scope to keep the user in (nestjs-cls #8, #148)', async () => {
  connectionErrors.length = 0;
  const app = await NestFactory.create(GatewayModule, { logger: false, abortOnError: false });
  app.useWebSocketAdapter(new WsAdapter(app));
  await app.listen(0, '127.0.0.1');
  close = () => app.close();
  const { port } = app.getHttpServer().address() as AddressInfo;
  const socket = await connect(`ws://127.0.0.1:${port}/?user=ann`);
  socket.close();
  expect(connectionErrors).toHaveLength(1);
  expect(connectionErrors[0]).toBeInstanceOf(ScopeMissingError);
});
