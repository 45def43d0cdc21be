import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CurrentModule } from 'current-attributes/nestjs';
import { createPropagator } from 'current-attributes/propagation';
import { afterEach, describe, expect, test } from 'vitest';
import { SECRET, Traveling } from '../../propagation/support.js';

@Controller()
class TenantController {
  @Get('tenant')
  tenant() {
    return { tenant: Traveling.tenant ?? null, userId: Traveling.userId ?? null };
  }
}

const receiver = createPropagator({ trust: { secret: SECRET }, currents: [Traveling] });

@Module({ imports: [CurrentModule.forRoot({ propagator: receiver })], controllers: [TenantController] })
class ReceivingModule {}

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The headers a request from another of our services carries: its traveling values, signed with `secret`. */
function headersFrom(secret: string): Record<string, string> {
  const sender = createPropagator({ trust: { secret }, currents: [Traveling] });
  return Traveling.run(() => {
    Traveling.tenant = 'acme';
    Traveling.userId = 7;
    return sender.inject({});
  });
}

describe.each(['express', 'fastify'] as const)('CurrentModule.forRoot({ propagator }) on %s', (platform) => {
  test('a request signed by another of our services starts with its values; a forged one with the defaults', async () => {
    app =
      platform === 'express'
        ? await NestFactory.create(ReceivingModule, { logger: false })
        : await NestFactory.create(ReceivingModule, new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/tenant`;
    const rejectedBefore = receiver.stats.rejected.badSignature;
    expect(await (await fetch(url, { headers: headersFrom(SECRET) })).json()).toEqual({ tenant: 'acme', userId: 7 });
    const forged = headersFrom(`${SECRET}, a forger's`);
    expect(await (await fetch(url, { headers: forged })).json()).toEqual({ tenant: null, userId: null });
    expect(receiver.stats.rejected.badSignature).toBe(rejectedBefore + 1);
  });
});
